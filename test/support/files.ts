// Writes a small file tree (relative path -> text or bytes) under a folder: the corpora tests build.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
