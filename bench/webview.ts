// First-view render time of the report webview for a 50,000-chunk report in headless Chromium,
// through the webview tests' own harness (standalone report.html, the same bundle as the panel).
import { makeFixtureReport } from '../test/fixtures/make-report';
import { launch, openStandalone } from '../test/webview/support';
import { timed } from './measure';

export interface WebviewFigures {
  chunks: number;
  /** From opening report.html to the first verdict on screen. */
  firstViewMs: number;
}

export async function webviewFirstView(chunks: number): Promise<WebviewFigures> {
  const report = makeFixtureReport({ chunks, previewChars: 120, anchors: 200, terms: 2000 });
  const browser = await launch();
  try {
    const { value, ms } = await timed(async () => {
      const opened = await openStandalone(browser, report, `bench-${chunks}`);
      await opened.page.waitForSelector('[data-verdict=churn]');
      return opened;
    });
    await value.context.close();
    return { chunks, firstViewMs: ms };
  } finally {
    await browser.close();
  }
}
