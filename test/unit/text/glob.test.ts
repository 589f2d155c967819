import { describe, expect, it } from 'vitest';
import { GlobSet } from '../../../functions/engine/text/glob.js';

describe('GlobSet', () => {
  it('matches tools by name or server/name, exactly or with * and ?', () => {
    const set = new GlobSet(['send_email', 'slack-mcp/post_*', 'files-mcp/?rite_file']);
    expect(set.matchesTool('mail-mcp', 'send_email')).toBe(true);
    expect(set.matchesTool('slack-mcp', 'post_message')).toBe(true);
    expect(set.matchesTool('other-mcp', 'post_message')).toBe(false);
    expect(set.matchesTool('files-mcp', 'write_file')).toBe(true);
    expect(set.matchesTool('files-mcp', 'overwrite_file')).toBe(false);
    expect(set.matchesTool(undefined, 'post_message')).toBe(false);
    expect(set.matchesTool('slack-mcp', undefined)).toBe(false);
    expect(new GlobSet(['mail-mcp/send_email']).matchesTool('mail-mcp', 'send_email')).toBe(true);
  });

  it('an empty set matches nothing', () => {
    const empty = new GlobSet([]);
    expect(empty.isEmpty).toBe(true);
    expect(empty.matchesTool('mail-mcp', 'send_email')).toBe(false);
    expect(empty.matches('send_email')).toBe(false);
    expect(new GlobSet(['*']).matchesTool('mail-mcp', 'send_email')).toBe(true);
  });
});
