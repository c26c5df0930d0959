// Proves a refactoring changed no report: runs fixed comparisons on the demo corpus and on the bench
// corpus, each from an empty cache and offline, and prints one sha256 per report.json with the fields
// that describe the run rather than the corpus removed (createdAt, timings, reuse, tool.version), then
// one sha256 over all of them (the --work folder's path written as WORK). Equal lines before and
// after a change mean bit-identical reports.
// Usage: npm run report-sha [-- --work DIR] [--only NAME]
// (= npm run build && npx tsx scripts/report-digests.ts ...)
// (each compared report is also written to DIR/NAME.report.json)
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBenchCorpus, collectSources } from '../bench/corpus';
import { buildDemoCorpus, type DemoStory } from '../src/cli/demoCorpus';
import { loadConfig, parseConfig } from '../src/core/config';
import { compare } from '../src/core/pipeline/compare';
import type { Report } from '../src/core/report/types';

const repo = path.resolve(__dirname, '..');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The report as written (JSON.stringify, two-space indent) without its run-dependent fields. */
export function comparableJson(report: Report): string {
  const { createdAt: _createdAt, timings: _timings, reuse: _reuse, tool, ...rest } = report;
  return JSON.stringify({ tool: { name: tool.name }, ...rest }, null, 2);
}

async function main(): Promise<void> {
  const work = path.resolve(argValue('work') ?? path.join(os.tmpdir(), 'embedding-drift-digests'));
  const only = argValue('only');
  fs.mkdirSync(work, { recursive: true });
  const all = createHash('sha256');
  const cases: Array<{ name: string; config: () => Promise<Parameters<typeof compare>[0]> }> = [];
  const demo = (story: DemoStory) => async () => {
    const built = await buildDemoCorpus(path.join(work, `demo-${story}`), path.join(repo, 'demo'), path.join(repo, 'node_modules'), story, {});
    return loadConfig(built.configPath);
  };
  cases.push({ name: 'demo-glove', config: demo('glove') });
  cases.push({ name: 'demo-chunkers', config: demo('chunkers') });
  const sources = collectSources(path.join(repo, 'node_modules'));
  // The bench's full size: about 2,000 chunks a side (bench/run.ts, 295 characters per chunk).
  const bench = buildBenchCorpus(sources, path.join(work, 'bench-corpus'), 2000 * 295);
  const benchConfig = (name: string, extra: Record<string, unknown>, b: Record<string, unknown> = {}) => async () => {
    const spec = {
      corpus: { root: bench.root }, k: 10, ...extra,
      a: { label: 'A', model: 'builtin:lexical', chunker: { type: 'recursive', size: 400, overlap: 50, unit: 'chars' } },
      b: { label: 'B', model: 'builtin:lexical', chunker: { type: 'markdown', size: 400, overlap: 50, unit: 'chars' }, ...b },
    };
    const file = path.join(work, name, 'embedding-drift.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = JSON.stringify(spec, null, 2);
    fs.writeFileSync(file, text);
    return parseConfig(text, file);
  };
  cases.push({ name: 'bench-lexical', config: benchConfig('bench-lexical', {}) });
  cases.push({ name: 'bench-sampled', config: benchConfig('bench-sampled', { sample: 500 }) });
  cases.push({
    name: 'bench-snapshot', config: async () => {
      // The same corpus a month later: every seventh file loses its second half.
      const snapshot = path.join(work, 'bench-snapshot-corpus');
      fs.rmSync(snapshot, { recursive: true, force: true });
      fs.cpSync(bench.root, snapshot, { recursive: true });
      for (const [i, name] of fs.readdirSync(snapshot).sort().entries()) {
        if (i % 7 !== 3) continue;
        const file = path.join(snapshot, name);
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
      }
      return benchConfig('bench-snapshot', {}, { corpus: snapshot, chunker: { type: 'recursive', size: 400, overlap: 50, unit: 'chars' } })();
    },
  });
  for (const c of cases) {
    if (only && c.name !== only) continue;
    const cacheDir = path.join(work, 'cache', c.name);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const session = await compare(await c.config(), { cacheDir, allowNetwork: false });
    try {
      // Kept beside the digests, so two runs that differ can be compared field by field.
      // The work folder's path is in the report (corpus roots): left out, so any --work gives the same digests.
      const json = comparableJson(session.report).split(work).join('WORK');
      fs.writeFileSync(path.join(work, `${c.name}.report.json`), json);
      const digest = createHash('sha256').update(json).digest('hex');
      all.update(`${digest}  ${c.name}\n`);
      console.log(`${digest}  ${c.name} (${session.report.chunks.a} + ${session.report.chunks.b} chunks)`);
    } finally {
      await session.dispose();
    }
  }
  console.log(`${all.digest('hex')}  all`);
}

main().catch((err: unknown) => {
  console.error(`report-digests: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
