// Small edits to an existing configuration file that keep the user's comments and layout
// (jsonc-parser's modify), e.g. naming the anchors file after the first "Add Selection as Drift Anchor".
import * as fs from 'node:fs/promises';
import { applyEdits, modify } from 'jsonc-parser';
import { writeFileDurable } from '../core/io/durable';

export function withAnchorsField(text: string, anchors: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return applyEdits(text, modify(text, ['anchors'], anchors, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } }));
}

export async function addAnchorsField(configPath: string, anchors: string): Promise<void> {
  const text = await fs.readFile(configPath, 'utf8');
  await writeFileDurable(configPath, withAnchorsField(text, anchors));
}
