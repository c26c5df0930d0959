// Every judgement of the report in one place: the thresholds that make a number good, mixed or bad,
// and the words for what a CKA value means. The CLI and the webview show these; neither re-decides.
import type { Report, VectorRetention } from './types';

export type Tone = 'good' | 'mixed' | 'bad' | 'info';

const TONE_RANK: Record<Tone, number> = { info: 0, good: 1, mixed: 2, bad: 3 };
const worseTone = (x: Tone, y: Tone): Tone => (TONE_RANK[y] > TONE_RANK[x] ? y : x);

/** The tone the churned share alone gives neighbor churn. */
function shareTone(churnedShare: number): Tone {
  return churnedShare < CHURN_GOOD ? 'good' : churnedShare < CHURN_MIXED ? 'mixed' : 'bad';
}

/** The tone mean Jaccard@k alone gives neighbor churn. */
function jaccardTone(meanJaccard: number): Tone {
  return meanJaccard >= JACCARD_GOOD ? 'good' : meanJaccard >= JACCARD_MIXED ? 'mixed' : 'bad';
}

/** Whether mean Jaccard judges churn more harshly than the churned share does (the verdict then says why). */
export function jaccardOutweighsShare(churnedShare: number, meanJaccard: number): boolean {
  return TONE_RANK[jaccardTone(meanJaccard)] > TONE_RANK[shareTone(churnedShare)];
}

/** Linear CKA at or above this: the two spaces are nearly the same up to rotation and scale. */
export const CKA_NEARLY_SAME = 0.95;
/** At or above this (and below CKA_NEARLY_SAME): similar geometry, but not just a rotation. */
export const CKA_SIMILAR = 0.7;
/** Churned share below this is good, below CHURN_MIXED mixed, else bad. */
export const CHURN_GOOD = 0.1;
export const CHURN_MIXED = 0.3;
/**
 * Mean Jaccard@k at or above this leaves a churn verdict good, at or above JACCARD_MIXED mixed, else
 * bad: few chunks may cross the churn threshold while most lose a neighbor or two (binary vectors
 * with rescoring: 3% churned, mean Jaccard 0.70, about 2 of 10 neighbors replaced per chunk), and
 * that is not "good" for retrieval. 0.8 is about one neighbor in ten replaced at k = 10.
 */
export const JACCARD_GOOD = 0.8;
export const JACCARD_MIXED = 0.5;
/**
 * A golden-set loss (hit@k or expected text held, whichever fell more) smaller than this many
 * points is mixed, a larger one bad.
 */
export const GOLDEN_LOSS_MIXED_POINTS = 5;
/**
 * Fewer anchors than this make no golden-set judgement, only the numbers: one anchor would move
 * hit@k by more than 5 points, so a difference between A and B says little about retrieval.
 */
export const MIN_CONCLUSIVE_ANCHORS = 20;
/** An anchor pair that loses this many percentile points or more makes the pairs verdict mixed. */
export const PAIR_DROP_MIXED_POINTS = 10;
/** Chunks with and without new vocabulary whose churn is fewer points apart than this churn "about as much". */
export const SIMILAR_CHURN_POINTS = 5;
/** Corpus text never embedded because of truncation above this share is bad. */
export const TRUNCATED_TEXT_BAD = 0.05;
/** MMD permutation p-values: below the first the corpus has drifted, below the second weak evidence. */
export const SNAPSHOT_DRIFT_P = 0.01;
export const SNAPSHOT_WEAK_P = 0.05;

/**
 * A query is off-topic for a corpus when it stands out from the chunks no more than this quantile
 * of the everyday background questions do (metrics/ood.ts): 5% of questions about nothing in the
 * corpus would pass as on-topic.
 */
export const OOD_BACKGROUND_QUANTILE = 0.95;
/**
 * A-to-B churned share (or mean Jaccard, in hundredths) up to this many points worse than the noise
 * floor reads "near" the floor, not above it.
 */
export const NOISE_MARGIN_POINTS = 2;
/** A vectors setting that keeps at least this share of retrieval is good; at least RETENTION_MIXED mixed. */
export const RETENTION_GOOD = 0.95;
export const RETENTION_MIXED = 0.9;

export type NoiseStanding = 'above' | 'near' | 'within';

/**
 * Where A-to-B churn stands against the noise floor, judged on the figures as printed (whole
 * percentage points of churned share and hundredths of mean Jaccard), so the words and the numbers
 * agree; either measure can put it above. Null when either side of the comparison is not measured.
 */
export function noiseStanding(r: Report): NoiseStanding | null {
  const gaps = noiseGaps(r);
  if (!gaps) return null;
  const { churn, jaccard } = gaps;
  if (churn > NOISE_MARGIN_POINTS || jaccard > NOISE_MARGIN_POINTS) return 'above';
  return churn > 0 || jaccard > 0 ? 'near' : 'within';
}

/**
 * How many printed points A-to-B churn is worse than the noise floor: by churned share (whole
 * percent) and by mean Jaccard (hundredths). The verdict names the measure that puts it above.
 */
export function noiseGaps(r: Report): { churn: number; jaccard: number } | null {
  const f = r.noiseFloor;
  const nb = r.neighbors;
  if (!f || f.churnedShare === null || f.meanJaccard === null || nb.churnedShare === null) return null;
  return {
    churn: Math.round(nb.churnedShare * 100) - Math.round(f.churnedShare * 100),
    jaccard: Math.round(f.meanJaccard * 100) - Math.round(nb.meanJaccard * 100),
  };
}

/**
 * The share of retrieval a vectors setting keeps, as judged: its golden-set nDCG@10 ratio, else
 * hit@k, else the float neighbors kept. A golden set too small to be conclusive does not judge it
 * (a handful of anchors can all be found while half the neighbors are lost): the neighbors do.
 */
export function retentionValue(r: VectorRetention, goldenConclusive: boolean): number {
  return goldenConclusive ? r.ndcg10 ?? r.hitAtK ?? r.neighbors : r.neighbors;
}

/** Under two models an anchor moved when its percentile shifts by more than this many points... */
export const ANCHOR_MOVE_POINTS = 10;
/** ...under one model (raw cosines on one scale) when its cosine does by more than this. */
export const ANCHOR_MOVE_COSINE = 0.05;

export type AnchorMove = 'better' | 'worse' | 'unchanged';

/**
 * Which way an anchor moved from A to B. Across two models only its percentile compares; under one
 * model its cosine does, and a cosine drop counts even when the percentile hides it (every chunk
 * lost similarity alike).
 */
export function anchorMove(x: { cosA: number; cosB: number; percentileA: number; percentileB: number }, sameModel: boolean): AnchorMove {
  const d = sameModel ? x.cosB - x.cosA : x.percentileB - x.percentileA;
  const limit = sameModel ? ANCHOR_MOVE_COSINE : ANCHOR_MOVE_POINTS;
  return d > limit ? 'better' : d < -limit ? 'worse' : 'unchanged';
}

/** B minus A in whole points, from the two shares as printed with two decimals (so words and figures agree). */
export function pointsMoved(a: number, b: number): number {
  return Math.round(Number(b.toFixed(2)) * 100) - Math.round(Number(a.toFixed(2)) * 100);
}

/** What a linear CKA value says about the two spaces, in the words every front door uses. */
export function ckaReading(cka: number): string {
  return cka >= CKA_NEARLY_SAME ? 'nearly the same geometry up to rotation and scale'
    : cka >= CKA_SIMILAR ? 'similar geometry, not just a rotation' : 'the spaces are organized differently';
}

/** The tone of a verdict of `kind` on `report`; 'info' where a verdict states a fact, not a judgement. */
export function verdictTone(kind: string, r: Report): Tone {
  switch (kind) {
    case 'churn': {
      const s = r.neighbors.churnedShare;
      if (s === null) return 'info';
      return worseTone(shareTone(s), jaccardTone(r.neighbors.meanJaccard));
    }
    case 'anchors': {
      const { a, b } = r.anchors;
      if (!r.anchors.conclusive) return 'info';
      const worst = Math.min(pointsMoved(a.hitAtK, b.hitAtK), pointsMoved(a.spanRecallAtK, b.spanRecallAtK));
      return worst >= 0 ? 'good' : worst > -GOLDEN_LOSS_MIXED_POINTS ? 'mixed' : 'bad';
    }
    case 'pairs': {
      if (r.anchors.pairs.length === 0 || r.configs.a.fingerprint === r.configs.b.fingerprint) return 'info';
      const worst = Math.min(...r.anchors.pairs.map((p) => p.shift));
      return Math.round(worst) > -1 ? 'good' : worst <= -PAIR_DROP_MIXED_POINTS ? 'mixed' : 'info';
    }
    case 'space': {
      const cka = r.space.linearCka;
      if (cka === null) return 'info';
      return cka >= CKA_NEARLY_SAME ? 'good' : cka >= CKA_SIMILAR ? 'mixed' : 'bad';
    }
    case 'tokens': {
      const t = r.tokenization;
      if (t.a.tokenizer === t.b.tokenizer) return 'info';
      const worse = (t.shatteredTerms?.b ?? 0) - (t.shatteredTerms?.a ?? 0);
      return worse <= 0 ? 'good' : worse < 0.01 * Math.max(1, t.terms) ? 'mixed' : 'bad';
    }
    case 'truncation':
      return Math.max(r.truncation.a.textShare, r.truncation.b.textShare) > TRUNCATED_TEXT_BAD ? 'bad' : 'mixed';
    case 'snapshot':
      return (r.snapshot?.mmdPValue ?? 1) < SNAPSHOT_WEAK_P ? 'bad' : 'good';
    case 'noise-floor': {
      // Above the floor is a fact (the change is real), not a judgement of it.
      const standing = noiseStanding(r);
      return standing === 'within' ? 'good' : standing === 'near' ? 'mixed' : 'info';
    }
    case 'retention': {
      if (!r.retention) return 'info';
      const kept = retentionValue(r.retention, r.anchors.conclusive);
      return kept >= RETENTION_GOOD ? 'good' : kept >= RETENTION_MIXED ? 'mixed' : 'bad';
    }
    default:
      return 'info';
  }
}
