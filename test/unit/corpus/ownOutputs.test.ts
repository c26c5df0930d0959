// The tool's own outputs are never corpus, wherever they were written: marked output folders,
// reports recognized by content (also moved or written before markers existed), baseline manifests
// and the configuration file by name. They are left out silently and counted once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCorpus } from '../../../src/core/config/defaults';
import { walkCorpus } from '../../../src/core/corpus/index';
import { isOwnFileByContent, markOutputFolder, OUTPUT_MARKER, ownOutputsNote } from '../../../src/core/corpus/ownOutputs';
import { renderStandaloneHtml } from '../../../src/shared/html';
import { writeTree } from '../../support/files';

const REPORT_JSON = '{"schemaVersion":1,"tool":{"name":"embedding-drift","version":"0.1.0"},"createdAt":"2026-11-29T05:32:51.768Z","configs":{"a":{"label":"A"},"b":{"label":"B"}}}\n';
const BASELINE_JSON = '{"format":1,"createdAt":"2026-11-29T05:33:00.000Z","side":{"label":"A"},"fingerprint":"x","dimension":2,"corpus":{},"chunks":[],"vectorsSha256":"00"}';

describe('corpus: the tool never reads its own outputs', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-own-'));
    await writeTree(root, {
      'guide.md': '# Guide\n\nReal content.\n',
      'notes/about-drift.md': 'This page mentions "embedding-drift" and {"schemaVersion": 1} but is a user document.\n',
      // A report folder the CLI wrote (with its marker), under a name nobody excludes.
      'reports/2026-11/report.json': REPORT_JSON,
      'reports/2026-11/report.html': '<!DOCTYPE html><html></html>',
      'reports/2026-11/nested/extra.md': 'inside a marked folder\n',
      // Outputs moved away from their folder, or written before markers existed: known by content.
      'moved/report.json': REPORT_JSON,
      'moved/old-report.html': '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Embedding Drift: A vs B</title>\n</head><body><script type="application/json" id="report-data">{}</script></body></html>\n',
      'old-baseline/baseline.json': BASELINE_JSON,
      // The configuration by name, at the root and under .vscode/.
      'embedding-drift.json': '{ "k": 5 }\n',
      '.vscode/embedding-drift.json': '{ "k": 5 }\n',
      '.vscode/settings.json': '{ "editor.tabSize": 2 }\n',
    });
    await markOutputFolder(path.join(root, 'reports/2026-11'));
    await fs.writeFile(path.join(root, 'moved/new-report.html'), renderStandaloneHtml(JSON.parse(REPORT_JSON), { script: '', css: '' }));
  });
  after(async () => { await fs.rm(root, { recursive: true, force: true }); });

  it('leaves out marked folders, reports, baselines and the configuration, counts them, and skips none of them with a reason', async () => {
    const corpus = await walkCorpus(defaultCorpus(root));
    assert.deepEqual(corpus.files.map((f) => f.path), ['.vscode/settings.json', 'guide.md', 'notes/about-drift.md']);
    // reports/2026-11: report.json, report.html, nested/extra.md (3); moved: 3; old-baseline: 1; configuration: 2.
    assert.equal(corpus.ownOutputs, 9);
    assert.deepEqual(corpus.skipped, []);
  });

  it('recognizes the HTML report it renders today and the JSON report by its leading fields only', () => {
    assert.equal(isOwnFileByContent(renderStandaloneHtml(JSON.parse(REPORT_JSON), { script: '', css: '' })), true);
    assert.equal(isOwnFileByContent(REPORT_JSON), true);
    assert.equal(isOwnFileByContent(JSON.stringify(JSON.parse(REPORT_JSON), null, 2)), true);
    assert.equal(isOwnFileByContent('{"tool":{"name":"embedding-drift"},"schemaVersion":1}'), false);
    assert.equal(isOwnFileByContent('<!DOCTYPE html><title>Embedding Drift: notes</title>'), false);
  });

  it('says how many files were left out, in words', () => {
    assert.equal(ownOutputsNote(1), '1 file written by Embedding Drift (reports, baselines, its configuration) was left out of the corpus.');
    assert.equal(ownOutputsNote(8), '8 files written by Embedding Drift (reports, baselines, its configuration) were left out of the corpus.');
    assert.equal(OUTPUT_MARKER, '.embedding-drift-output');
  });
});
