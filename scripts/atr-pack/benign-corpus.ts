/**
 * Benign text for measuring a rule's false positives: the READMEs and docs (`docs/*.md`) of the
 * packages installed in node_modules, cut into chunks at paragraph boundaries. Security libraries,
 * CLI tools and SDK docs are full of the words attack rules look for (tokens, credentials, shell
 * commands, "ignore", "system"), written by people who are not attacking anyone.
 *
 * Deterministic: files sorted by path, the same chunking every run. agent-threat-rules itself is
 * left out (its README quotes attacks on purpose).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BenignChunk {
  /** `package/file#n`. */
  readonly id: string;
  readonly text: string;
}

const EXCLUDED_PACKAGES = new Set(['agent-threat-rules']);
const CHUNK_CHARS = 1500;
const MAX_FILE_BYTES = 512 * 1024;

function packageDirs(nodeModules: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(nodeModules).sort()) {
    if (name.startsWith('.')) continue;
    const dir = join(nodeModules, name);
    if (name.startsWith('@')) {
      for (const sub of readdirSync(dir).sort()) out.push(join(dir, sub));
    } else out.push(dir);
  }
  return out;
}

function docFiles(pkgDir: string): string[] {
  const files: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(pkgDir).sort();
  } catch {
    return files;
  }
  for (const name of entries) if (/^readme(\.md|\.markdown)?$/i.test(name)) files.push(join(pkgDir, name));
  const docs = join(pkgDir, 'docs');
  if (existsSync(docs) && statSync(docs).isDirectory()) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) files.push(join(docs, name));
  }
  return files.filter((f) => statSync(f).isFile() && statSync(f).size <= MAX_FILE_BYTES);
}

/** Paragraph-aligned chunks of about CHUNK_CHARS characters. */
export function chunkText(text: string, size = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n{2,}/)) {
    if (current.length > 0 && current.length + paragraph.length > size) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
    while (current.length > size * 2) {
      chunks.push(current.slice(0, size));
      current = current.slice(size);
    }
  }
  if (current.trim().length > 0) chunks.push(current);
  return chunks.filter((c) => c.trim().length >= 80);
}

/** Every chunk of every package README/doc under `nodeModules`, at most `limit`. */
export function benignChunks(nodeModules: string, limit = Infinity): BenignChunk[] {
  const out: BenignChunk[] = [];
  for (const pkg of packageDirs(nodeModules)) {
    const name = relative(nodeModules, pkg);
    if (EXCLUDED_PACKAGES.has(name)) continue;
    for (const file of docFiles(pkg)) {
      const chunks = chunkText(readFileSync(file, 'utf8'));
      chunks.forEach((text, i) => out.push({ id: `${relative(nodeModules, file)}#${i + 1}`, text }));
      if (out.length >= limit) return out.slice(0, limit);
    }
  }
  return out;
}
