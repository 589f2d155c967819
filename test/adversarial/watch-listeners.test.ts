/**
 * D5: `watch` added an `abort` listener on every poll and never removed it (MaxListenersExceeded
 * within seconds, ~14,000 listeners an hour). Now each poll's listener goes when its timer fires.
 */
import { getEventListeners } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkDetectionOptions } from '../../functions/cli/common-options.js';
import { watch } from '../../functions/cli/commands/watch.js';
import type { CliIo } from '../../functions/cli/io.js';

function quietIo(): CliIo {
  const devNull = () => new Writable({ write: (_c, _e, cb) => cb() });
  const stdin = new PassThrough();
  stdin.end();
  return { stdout: devNull(), stderr: devNull(), stdin, env: {} };
}

describe('watch without listener leaks (D5)', () => {
  it('hundreds of polls leave at most one abort listener and raise no MaxListenersExceededWarning', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wt-watch-')), 'idle.log');
    writeFileSync(file, '');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const controller = new AbortController();
    try {
      const done = watch(file, checkDetectionOptions({ output: 'json' }), quietIo(), { signal: controller.signal, pollMs: 1 });
      // Count polls by time, not by a fixed wait: at least 100 polls of an unchanging file.
      const started = Date.now();
      while (Date.now() - started < 400) await new Promise((r) => setTimeout(r, 20));
      expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
      controller.abort();
      // An idle file read nothing, so watch exits 2 and says so (issue 12); no leak is the point here.
      expect(await done).toBe(2);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
