/**
 * The README-chunk false-positive check for the secrets catalogue: benign prose and code from the
 * READMEs in node_modules, cut into 2,000-character chunks, scanned for secrets (what
 * API-SECRET-LEAK would report) and redacted (what alert redaction would mask). A change to the
 * catalogue must not raise either count without a reason.
 *   npx tsx scripts/readme-chunk-check.ts [path/to/secrets.ts]   (default: this tree's)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modulePath = resolve(process.argv[2] ?? 'functions/engine/text/secrets.ts');
const secrets = (await import(pathToFileURL(modulePath).href)) as {
  findSecrets: (t: string) => Array<{ kind: string }>;
  redactSecrets: (t: string) => string;
};

function readmes(dir: string, depth = 0, out: string[] = []): string[] {
  if (depth > 3) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (/^readme\.md$/i.test(name)) out.push(path);
    else if (!name.startsWith('.') && depth < 3) {
      try {
        if (statSync(path).isDirectory()) readmes(path, depth + 1, out);
      } catch {
        // broken link
      }
    }
  }
  return out;
}

const files = readmes('node_modules').sort();
let chunks = 0;
let detected = 0;
let redacted = 0;
const kinds: Record<string, number> = {};
const redactedKinds: Record<string, number> = {};
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (let i = 0; i < text.length; i += 2000) {
    const chunk = text.slice(i, i + 2000);
    chunks++;
    const found = secrets.findSecrets(chunk);
    if (found.length > 0) detected++;
    for (const f of found) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    const markers = [...secrets.redactSecrets(chunk).matchAll(/\[REDACTED:([a-z0-9-]+)\]/g)];
    if (markers.length > 0) redacted++;
    for (const m of markers) redactedKinds[m[1] as string] = (redactedKinds[m[1] as string] ?? 0) + 1;
  }
}
console.log(JSON.stringify({ module: modulePath, readmes: files.length, chunks, chunksWithFindings: detected, findingsByKind: kinds, chunksRedacted: redacted, redactionsByKind: redactedKinds }, null, 1));
