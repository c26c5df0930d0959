// The pipeline's front: what the CLI and the extension call.
export { compare, compareWithBaseline } from './compare';
export { saveBaseline, loadBaseline, hasBaseline, loadBaselineReport, type Baseline } from './baseline';
export type { CompareOptions, ComparisonSession, SearchHit } from './types';
