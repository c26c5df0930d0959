// Takes the README's screenshots from a real report.html (the demo's: `npm run demo`), in Debian's
// Chromium through playwright-core, as the webview tests launch it (test/webview/support.ts).
// Usage: npx tsx scripts/readme-screenshots.ts [path/to/report.html]
//   (default: <tmp>/embedding-drift-demo/report/report.html)
// Writes media/screenshot-overview.png (the overview, top 1080 px) and media/screenshot-tokens.png
// (the tokenization tab: the corpus's new vocabulary under A's and B's tokenizers).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

async function main(argv: string[]): Promise<void> {
  const report = path.resolve(argv[0] ?? path.join(os.tmpdir(), 'embedding-drift-demo', 'report', 'report.html'));
  if (!fs.existsSync(report)) throw new Error(`${report} does not exist; run \`npm run demo\` first`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const media = path.join(__dirname, '..', 'media');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1180, height: 1080 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('.tabs');
    // Charts draw after layout: wait for their canvases.
    await page.waitForSelector('#panel-overview canvas');
    await page.screenshot({ path: path.join(media, 'screenshot-overview.png') });
    await page.click('#tab-tokens');
    await page.waitForSelector('#panel-tokens:visible');
    await page.screenshot({ path: path.join(media, 'screenshot-tokens.png') });
    console.log(`wrote media/screenshot-overview.png and media/screenshot-tokens.png from ${report}`);
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`readme-screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
