// The verdicts in words and their tones: each sentence follows the numbers it states, in its
// grammar cases (none, one, many; equal values; a section missing), and a tone is a judgement
// only when the numbers can carry one.
import * as assert from 'node:assert/strict';
import { reportVerdicts, summarizeReport, type VerdictKind } from '../../../src/core/report/summary';
import type { Report } from '../../../src/core/report/types';
import { makeFixtureReport } from '../../fixtures/make-report';

const fixture = (): Report => {
  const r = makeFixtureReport({ chunks: 40, k: 10 });
  r.configs.a.label = 'A';
  r.configs.b.label = 'B';
  return r;
};
const line = (r: Report, kind: VerdictKind): string | undefined => reportVerdicts(r).find((v) => v.kind === kind)?.text;
const tone = (r: Report, kind: VerdictKind): string | undefined => reportVerdicts(r).find((v) => v.kind === kind)?.tone;

describe('summarizeReport', () => {
  it('states churn with the threshold in words, and the sample interval when sampled', () => {
    const r = fixture();
    r.neighbors.churnedShare = 0.31;
    r.neighbors.churnThreshold = 0.5;
    assert.match(summarizeReport(r)[0]!, /^31% of chunks lose more than half of their 10 nearest neighbors/);
    assert.equal(tone(r, 'churn'), 'bad');
    r.neighbors.churnThreshold = 0.3;
    r.neighbors.sampled = { size: 500, total: 20000, confidence: 0.95, meanJaccardCi: [0.4, 0.5], churnedShareCi: [0.28, 0.34] };
    assert.match(summarizeReport(r)[0]!, /^31% of chunks keep less than 30% of their 10 nearest neighbors \(an estimate from a seeded sample of 500 of 20000: 95% CI 28%-34%\)/);
    r.neighbors.churnedShare = 0.05;
    r.neighbors.meanJaccard = 0.9;
    assert.equal(tone(r, 'churn'), 'good');
    assert.doesNotMatch(line(r, 'churn')!, /few chunks cross/);
    // 3% churned but mean Jaccard 0.70 (binary vectors with rescoring looked like this): the line says what judges it.
    delete r.neighbors.sampled;
    r.neighbors.churnThreshold = 0.5;
    Object.assign(r.neighbors, { churnedShare: 0.03, meanJaccard: 0.7, meanOverlap: 0.82, meanRbo: 0.8, k: 10 });
    assert.equal(tone(r, 'churn'), 'mixed');
    assert.match(line(r, 'churn')!, /^3% of chunks lose more than half of their 10 nearest neighbors.*; mean Jaccard@10 0\.70, RBO 0\.80; few chunks cross that line, but on average 1\.8 of each chunk's 10 neighbors are replaced\.$/);
  });

  it('file-level churn says what overlaps, for one file and for many', () => {
    const r = fixture();
    r.neighbors.documents = { meanJaccard: 0.71, files: 80 };
    assert.equal(line(r, 'documents'), "At file level, a file's chunks find their neighbors in 71% the same files under A and B (mean Jaccard over 80 files).");
    r.neighbors.documents = { meanJaccard: 1, files: 1 };
    assert.match(line(r, 'documents')!, /\(mean Jaccard over 1 file\)\.$/);
    r.neighbors.documents = { meanJaccard: 0, files: 0 };
    assert.equal(line(r, 'documents'), undefined);
  });

  it('states the golden set with hit@k points from the printed figures, MRR@k, nDCG@10 and the expected text held', () => {
    const r = fixture();
    r.anchors.count = 40; r.anchors.conclusive = true;
    r.anchors.a = { hitAtK: 0.82, mrrAtK: 0.61, ndcg10: 0.66, spanRecallAtK: 0.72, spanPrecisionAtK: 0.08, spanIouAtK: 0.05, judgedAtK: 0.1 };
    r.anchors.b = { hitAtK: 0.74, mrrAtK: 0.6, ndcg10: 0.64, spanRecallAtK: 0.7, spanPrecisionAtK: 0.11, spanIouAtK: 0.09, judgedAtK: 0.1 };
    assert.equal(line(r, 'anchors'), 'Golden set (40 anchors): hit@10 0.82 -> 0.74 (-8 points), MRR@10 0.61 -> 0.60, nDCG@10 0.66 -> 0.64; the top 10 hold 72% -> 70% of the expected text (IoU 0.05 -> 0.09).');
    assert.equal(tone(r, 'anchors'), 'bad');
    r.anchors.b.hitAtK = 0.9;
    assert.match(line(r, 'anchors')!, /hit@10 0\.82 -> 0\.90 \(\+8 points\)/);
    // hit@k up but the expected text held down 2 points: mixed, not good.
    assert.equal(tone(r, 'anchors'), 'mixed');
    r.anchors.b.hitAtK = 0.83;
    assert.match(line(r, 'anchors')!, /\(\+1 point\)/);
    r.anchors.b.hitAtK = 0.82; r.anchors.b.spanRecallAtK = 0.72;
    assert.match(line(r, 'anchors')!, /\(0 points\)/);
    assert.equal(tone(r, 'anchors'), 'good');
  });

  it('a golden set below the minimum says it is not conclusive and takes no color', () => {
    const r = fixture();
    r.anchors.count = 5; r.anchors.conclusive = false; r.anchors.minimumAnchors = 20;
    r.anchors.a.hitAtK = 0.6; r.anchors.b.hitAtK = 0.8;
    assert.match(line(r, 'anchors')!, /^Golden set \(5 anchors\): hit@10 0\.60 -> 0\.80 \(\+20 points\).*\. Not conclusive: 5 anchors are fewer than the 20 a verdict needs \(one anchor moves hit@10 by 20 points\)\.$/);
    assert.equal(tone(r, 'anchors'), 'info');
    r.anchors.count = 1;
    assert.match(line(r, 'anchors')!, /^Golden set \(1 anchor\):.*Not conclusive: 1 anchor is fewer than the 20/);
    r.anchors.count = 0;
    assert.equal(line(r, 'anchors'), undefined);
  });

  it('auto-anchors say how many were made and from what', () => {
    const r = fixture();
    r.anchors.source = 'auto'; r.anchors.count = 84; r.anchors.conclusive = true;
    const kinds = (headings: number, docstrings: number, docComments: number) => ({ headings, docstrings, docComments });
    const dropped = { changelog: 0, versionOrDate: 0, oneWord: 0, emptySection: 0, repeated: 0, perFileCap: 0, limit: 0 };
    r.anchors.auto = { found: kinds(150, 70, 4), made: kinds(60, 24, 0), dropped, perFile: 10, limit: 200 };
    assert.match(line(r, 'anchors')!, /^Auto-anchors \(84, made from 60 headings and 24 docstrings; 140 candidates left out\): hit@10/);
    r.anchors.auto = { found: kinds(1, 0, 0), made: kinds(1, 0, 0), dropped, perFile: 10, limit: 200 };
    r.anchors.count = 1; r.anchors.conclusive = false;
    assert.match(line(r, 'anchors')!, /^Auto-anchors \(1, made from 1 heading\): /);
    r.anchors.auto = { found: kinds(3, 2, 2), made: kinds(3, 2, 1), dropped, perFile: 10, limit: 200 };
    r.anchors.count = 6;
    assert.match(line(r, 'anchors')!, /^Auto-anchors \(6, made from 3 headings, 2 docstrings and 1 doc comment; 1 candidate left out\): /);
  });

  it('anchors found or lost between A and B, in the singular and the plural, and nothing when none moved', () => {
    const r = fixture();
    for (const x of r.anchors.items) { x.rankA = 1; x.rankB = 1; }
    assert.equal(line(r, 'anchors-changed'), undefined);
    r.anchors.items[0]!.rankB = null;
    assert.equal(line(r, 'anchors-changed'), '1 anchor found under A is missed under B (in the top 10).');
    r.anchors.items[1]!.rankB = null;
    r.anchors.items[2]!.rankA = null;
    assert.equal(line(r, 'anchors-changed'), '2 anchors found under A are missed under B; 1 anchor missed under A is found under B (in the top 10).');
  });

  it('judged@k: how much of each top k carries a label, the labelling hint only with an anchors file, nothing when all is judged', () => {
    const r = fixture();
    r.anchors.a.judgedAtK = 0.125; r.anchors.b.judgedAtK = 0.1188;
    assert.equal(line(r, 'judged'), 'Judged@10: 13% of A\'s top 10 and 12% of B\'s overlap a span labelled for the query; hit@10, MRR@10 and nDCG@10 count the other hits as misses, though some may answer the query; label those that answer it in the Anchors tab ("label as expected").');
    assert.equal(tone(r, 'judged'), 'info');
    // Auto-anchors are the corpus's own headings: nothing to label in a file.
    r.anchors.source = 'auto';
    assert.match(line(r, 'judged')!, /answer the query\.$/);
    r.anchors.a.judgedAtK = 1; r.anchors.b.judgedAtK = 1;
    assert.equal(line(r, 'judged'), undefined);
    r.anchors.a.judgedAtK = null;
    r.anchors.b.judgedAtK = 0.5;
    assert.equal(line(r, 'judged'), undefined);
  });

  it('pairs across two models compare percentiles, never raw cosines; under one model they cannot change', () => {
    const r = fixture();
    r.anchors.pairs = [
      // The case: raw cosine 0.36 -> 0.82 under two models says nothing by itself.
      { a: 'dependency injection', b: 'Depends', cosA: 0.36, cosB: 0.82, percentileA: 99, percentileB: 62, shift: -37 },
      { a: 'install', b: 'setup', cosA: 0.5, cosB: 0.55, percentileA: 90, percentileB: 93, shift: 3 },
    ];
    assert.equal(line(r, 'pairs'), '2 anchor pairs (each pair\'s cosine as a percentile of its model\'s cosines between the two texts and unrelated everyday questions): largest drop "dependency injection" / "Depends", 99th -> 62nd percentile.');
    assert.equal(tone(r, 'pairs'), 'mixed');
    r.anchors.pairs = [{ a: 'x', b: 'y', cosA: 0.9, cosB: 0.2, percentileA: 100, percentileB: 99.6, shift: -0.4 }];
    assert.equal(line(r, 'pairs'), '1 anchor pair (each pair\'s cosine as a percentile of its model\'s cosines between the two texts and unrelated everyday questions): none ranks lower under B.');
    r.anchors.pairs = [{ a: 'x', b: 'y', cosA: 0.9, cosB: 0.8, percentileA: 13, percentileB: 1, shift: -12 }];
    assert.match(line(r, 'pairs')!, /13th -> 1st percentile\.$/);
    r.configs.b.fingerprint = r.configs.a.fingerprint;
    assert.equal(line(r, 'pairs'), '1 anchor pair: the same model embeds them under A and B, so their similarities do not change.');
    r.anchors.pairs = [];
    assert.equal(line(r, 'pairs'), undefined);
  });

  it('plain queries in the singular and the plural', () => {
    const r = fixture();
    r.queries = { count: 1, meanOverlap: 0.5, meanRbo: 0.45, items: [{ query: 'how to install', overlap: 0.5, rbo: 0.45, retrievedA: [], retrievedB: [] }] };
    assert.equal(line(r, 'queries'), '1 query: results overlap 50% on average (RBO 0.45); most changed: "how to install".');
    r.queries.count = 3;
    assert.match(line(r, 'queries')!, /^3 queries: /);
  });

  it('counts off-topic queries per side, says nothing when none is flagged, and words one query in the singular', () => {
    const r = fixture();
    const item = (query: string, flaggedA: boolean, flaggedB: boolean) => ({ query, topA: 0.5, topB: 0.5, liftA: 0.2, liftB: 0.2, flaggedA, flaggedB });
    r.ood = { threshold: { a: 0.1, b: 0.1 }, background: 96, quantile: 0.95, flaggedShare: { a: 0.5, b: 0.25 }, items: [item('bread', true, true), item('eggs', true, false), item('install', false, false), item('proxy', false, false)] };
    assert.equal(line(r, 'ood'), 'Off-topic for this corpus: 2 of 4 queries under A, 1 under B (no chunk matches them better than unrelated everyday questions match it, beyond what the top 5% of those questions reach).');
    r.ood.items = [item('bread', true, false)];
    r.ood.flaggedShare = { a: 1, b: 0 };
    assert.match(line(r, 'ood')!, /^Off-topic for this corpus: 1 of 1 query under A, 0 under B/);
    r.ood.items = [item('install', false, false)];
    r.ood.flaggedShare = { a: 0, b: 0 };
    assert.equal(line(r, 'ood'), undefined);
  });

  it('words CKA by band with one tone for both front doors; HNSW recall only when HNSW was used', () => {
    const r = fixture();
    r.space.linearCka = 0.61;
    r.space.procrustesOverlap = 0.78;
    r.neighbors.recallAtK = null;
    assert.equal(line(r, 'space'), 'CKA 0.61: the spaces are organized differently; an orthogonal adapter recovers 78% of neighbors.');
    assert.equal(tone(r, 'space'), 'bad');
    r.space.linearCka = 0.93;
    r.space.procrustesOverlap = null;
    assert.equal(line(r, 'space'), 'CKA 0.93: similar geometry, not just a rotation.');
    assert.equal(tone(r, 'space'), 'mixed');
    r.space.linearCka = 0.97;
    assert.equal(tone(r, 'space'), 'good');
    assert.equal(line(r, 'hnsw'), undefined);
    r.neighbors.recallAtK = { a: 0.97, b: 0.96 };
    assert.match(line(r, 'hnsw')!, /recall@10 against exact search 0\.97 \(A\), 0\.96 \(B\)/);
    r.space.linearCka = null;
    assert.equal(line(r, 'space'), undefined);
  });

  it('says which tokenizer shatters how many terms, or that the tokenizer is the same', () => {
    const r = fixture();
    r.configs.a.label = 'today';
    r.configs.b.label = 'candidate';
    r.tokenization.shatteredTerms = { a: 0, b: 143 };
    assert.equal(line(r, 'tokens'), "candidate's tokenizer shatters 143 terms of this corpus into 3+ pieces (or does not know them) that today's keeps whole.");
    r.tokenization.shatteredTerms = { a: 1, b: 0 };
    assert.match(line(r, 'tokens')!, /^today's tokenizer shatters 1 term of/);
    r.tokenization.shatteredTerms = { a: 0, b: 0 };
    assert.equal(line(r, 'tokens'), 'Neither tokenizer shatters a term of this corpus that the other keeps whole.');
    r.tokenization.b.tokenizer = r.tokenization.a.tokenizer;
    assert.equal(line(r, 'tokens'), `Same tokenizer on both sides (${r.tokenization.a.tokenizer}): every term is split the same way.`);
  });

  it('churn of chunks holding new vocabulary stands on its own, and equal figures read as equal', () => {
    const r = fixture();
    r.tokenization.churnByNewVocabulary = { withTerms: 0.44, withoutTerms: 0.29, chunksWithTerms: 12 };
    assert.equal(line(r, 'tokens-churn'), 'The 12 chunks holding terms a tokenizer shatters or does not know lose 44% of their neighbors, the others 29%: they churn more.');
    r.tokenization.churnByNewVocabulary = { withTerms: 0.988, withoutTerms: 0.991, chunksWithTerms: 1 };
    assert.equal(line(r, 'tokens-churn'), 'The 1 chunk holding terms a tokenizer shatters or does not know churns as much as the others: both lose 99% of their neighbors.');
    r.tokenization.churnByNewVocabulary = { withTerms: 0.1, withoutTerms: 0.3, chunksWithTerms: 4 };
    assert.match(line(r, 'tokens-churn')!, /lose 10% of their neighbors, the others 30%: they churn less\.$/);
    r.tokenization.churnByNewVocabulary = { withTerms: 0.5, withoutTerms: 0.3, chunksWithTerms: 1 };
    assert.match(line(r, 'tokens-churn')!, /^The 1 chunk holding .* loses 50% of its neighbors, the others 30%: it churns more\.$/);
    r.tokenization.churnByNewVocabulary = { withTerms: 0.56, withoutTerms: 0.55, chunksWithTerms: 683 };
    assert.equal(line(r, 'tokens-churn'), 'The 683 chunks holding terms a tokenizer shatters or does not know churn about as much as the others: 56% vs 55% of neighbors lost.');
    r.tokenization.churnByNewVocabulary = { withTerms: 0, withoutTerms: 0.3, chunksWithTerms: 0 };
    assert.equal(line(r, 'tokens-churn'), undefined);
    // With one tokenizer on both sides, no chunk churns because of how its terms are split.
    r.tokenization.churnByNewVocabulary = { withTerms: 0.44, withoutTerms: 0.29, chunksWithTerms: 12 };
    r.tokenization.b.tokenizer = r.tokenization.a.tokenizer;
    assert.equal(line(r, 'tokens-churn'), undefined);
  });

  it('truncation per side, and the snapshot verdict by p-value', () => {
    const r = fixture();
    r.truncation.a = { maxTokens: 256, share: 0.12, textShare: 0.08, truncated: 5, zeroVectors: 0 };
    r.truncation.b = { maxTokens: 512, share: 0, textShare: 0, truncated: 0, zeroVectors: 1 };
    assert.deepEqual(reportVerdicts(r).filter((v) => v.kind === 'truncation').map((v) => [v.text, v.tone]),
      [["A: 12% of chunks exceed the model's 256 tokens; 8% of the corpus text is never embedded.", 'bad'],
        ['B: 1 chunk got a zero vector (the model knows none of their tokens): they match nothing, and their neighbors are arbitrary.', 'bad']]);
    assert.equal(line(r, 'snapshot'), undefined);
    r.snapshot = { centroidDistance: 0.1, mmd: 0.02, mmdPValue: 0.001, classifierAuc: 0.8, driftedDimensionShare: 0.3 };
    assert.equal(line(r, 'snapshot'), 'Snapshots: the corpus has drifted (MMD p=0.0010, classifier AUC 0.80, 30% of dimensions drifted).');
    assert.equal(tone(r, 'snapshot'), 'bad');
  });
});
