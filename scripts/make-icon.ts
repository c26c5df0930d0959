// Renders media/icon.svg to media/icon.png (256 x 256, transparent corners) in Debian's Chromium,
// the PNG the Marketplace and the Extensions view show. Run after editing the SVG:
//   npx tsx scripts/make-icon.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const SIZE = 256;

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(ROOT, 'media', 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const out = path.join(ROOT, 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    process.stdout.write(`wrote ${path.relative(ROOT, out)} (${fs.statSync(out).size} bytes)\n`);
  } finally {
    await browser.close();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
