// The "may import" column of ARCHITECTURE.md as eslint.config.mjs enforces it: imports that point
// up the layers are errors, the ones the table allows are not (ESLint's own API on sample sources).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repo = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: repo });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repo, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('architecture: the may-import table is a lint rule', function () {
  this.timeout(120_000);

  it('refuses imports that point up the layers', async () => {
    const refused: Array<[string, string]> = [
      ['src/core/index/x.ts', "import { yielder } from '../metrics/yielding';"],
      ['src/core/index/x.ts', "import type { NeighborChurn } from '../report/build';"],
      ['src/core/metrics/x.ts', "import { buildReport } from '../report/build';"],
      ['src/core/metrics/x.ts', "import { compare } from '../pipeline/compare';"],
      ['src/core/report/x.ts', "import { findNeighbors } from '../index/search';"],
      ['src/core/report/x.ts', "import { compare } from '../pipeline';"],
      ['src/core/config/x.ts', "import type { Tokenizer } from '../tokenizers/types';"],
      ['src/core/io/x.ts', "import type { DriftConfig } from '../config/types';"],
      ['src/core/report/x.ts', "import { writeFileDurable } from '../io/durable';"],
      ['src/core/embedding/x.ts', "import { exactTopK } from '../index/exact';"],
      ['src/core/random.ts', "import { round } from './metrics/stats';"],
      ['src/core/report/types.ts', "import type { Chunk } from '../chunking/chunk';"],
      ['src/core/pipeline/x.ts', "import { renderStandaloneHtml } from '../../shared/html';"],
      ['src/shared/x.ts', "import { compare } from '../core/pipeline/compare';"],
      ['src/webview/views/x.ts', "import { rbo } from '../../core/metrics/rbo';"],
      ['src/cli/x.ts', "import { ReportPanel } from '../extension/panel';"],
    ];
    for (const [file, source] of refused) {
      assert.equal((await restricted(file, source)).length, 1, `${file}: ${source} should be refused`);
    }
  });

  it('allows what the table allows', async () => {
    const allowed: Array<[string, string]> = [
      ['src/core/index/x.ts', "import { yielder } from '../yielding';"],
      ['src/core/embedding/x.ts', "import { writeFileDurable } from '../io/durable';"],
      ['src/core/index/x.ts', "import { wasmAssetsUrl } from '../embedding/workerPool';"],
      ['src/core/metrics/x.ts', "import type { Histogram } from '../report/types';"],
      ['src/core/metrics/x.ts', "import { exactTopK } from '../index/exact';"],
      ['src/core/report/x.ts', "import type { NeighborSearch } from '../index/types';"],
      ['src/core/report/x.ts', "import { neighborChurn } from '../metrics/churn';"],
      ['src/core/pipeline/x.ts', "import { buildReport } from '../report/build';"],
      ['src/shared/x.ts', "import type { Report } from '../core/report/types';"],
      ['src/webview/views/x.ts', "import { summarizeReport } from '../../core/report/summary';"],
      ['src/cli/x.ts', "import { compare } from '../core/pipeline/compare';"],
    ];
    for (const [file, source] of allowed) {
      assert.deepEqual(await restricted(file, source), [], `${file}: ${source} should be allowed`);
    }
  });
});
