// What two reports of the same inputs must share: everything but when and where they were made
// (createdAt, timings, the corpus folder) and the list of skipped files.
import type { Report } from '../../../src/core/report/types';

export function comparableReport(report: Report): unknown {
  const { createdAt: _createdAt, timings: _timings, corpus, warnings, ...rest } = report;
  const { root: _root, rootB: _rootB, skipped: _skipped, ...counts } = corpus;
  return { ...rest, corpus: counts, warnings: warnings.filter((w) => !/skipped|changed|cache/i.test(w)) };
}
