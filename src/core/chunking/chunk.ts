// The chunking entry points: one file or a whole corpus, per side's chunker and preprocessing.
// Preprocess once, measure once (characters, or one tokenization of the file), cut the
// processed text, map every span back to the original file.
import type { ChunkerSpec, PreprocessSpec } from '../config/types';
import { NO_MEMO, type StageMemo } from '../memo';
import type { Tokenizer } from '../tokenizers/types';
import { DriftError, throwIfAborted, type Chunk, type Corpus, type CorpusFile, type RunOptions } from '../types';
import { yielder } from '../yielding';
import { fixedSpans } from './fixed';
import { markdownBlocks, markdownSpans, type Block } from './markdown';
import { isIdentity, originalSpan, preprocess, processedPosition } from './preprocess';
import { recursiveSpans } from './recursive';
import { sentenceSpans } from './sentence';
import { charMeasure, tokenMeasure, type Measure, type Span } from './spans';

export interface ChunkingSide {
  chunker: ChunkerSpec;
  preprocess: PreprocessSpec;
}

/** Spans of `text` under a chunker (no preprocessing): the core the entry points share. */
export function chunkSpans(text: string, chunker: ChunkerSpec, measure: Measure, markdownStructure?: readonly Block[]): Span[] {
  if (!Number.isInteger(chunker.size) || chunker.size < 1 || chunker.overlap < 0 || chunker.overlap >= chunker.size) {
    throw new DriftError(`chunker ${chunker.type}: overlap must be smaller than size (got ${chunker.overlap} >= ${chunker.size})`, 'config');
  }
  switch (chunker.type) {
    case 'fixed': return fixedSpans(text, chunker, measure);
    case 'recursive': return recursiveSpans(text, chunker, measure);
    case 'markdown': return markdownSpans(text, chunker, measure, markdownStructure);
    case 'sentence': return sentenceSpans(text, chunker, measure);
  }
}

export function chunkFile(file: CorpusFile, side: ChunkingSide, tokenizer?: Tokenizer): Chunk[] {
  const processed = preprocess(file.text, side.preprocess);
  let measure: Measure;
  if (side.chunker.unit === 'tokens') {
    if (!tokenizer) throw new DriftError(`chunker ${side.chunker.type} counts tokens but no tokenizer was given`, 'config');
    measure = tokenMeasure(processed.text, tokenizer);
  } else {
    measure = charMeasure();
  }
  // Markdown structure is read from the file as written: stripping removes the "#" it relies on.
  let structure: Block[] | undefined;
  if (side.chunker.type === 'markdown' && !isIdentity(side.preprocess)) {
    structure = markdownBlocks(file.text).map((block) => ({
      ...block, start: processedPosition(processed, block.start), end: processedPosition(processed, block.end),
    }));
  }
  const chunks: Chunk[] = [];
  for (const span of chunkSpans(processed.text, side.chunker, measure, structure)) {
    const [start, end] = originalSpan(processed, span.start, span.end);
    const chunk: Chunk = {
      file: file.path,
      start,
      end,
      text: file.text.slice(start, end),
      embedText: processed.text.slice(span.start, span.end),
    };
    if (span.headingPath) chunk.headingPath = span.headingPath;
    chunks.push(chunk);
  }
  return chunks;
}

/**
 * Chunks every file of a corpus in order; progress stage 'chunk', one event per 50 files. Hands the
 * event loop back through the core's yielder, so an abort can arrive mid-way. With a warm session's memo, a file whose content, chunker, preprocessing and tokenizer did not change
 * keeps its chunks (stage 'chunk', one per file), and an unchanged corpus keeps its chunk array.
 */
export async function chunkCorpus(
  corpus: Corpus, side: ChunkingSide, tokenizer: Tokenizer | undefined, options: RunOptions = {}, memo: StageMemo = NO_MEMO,
): Promise<Chunk[]> {
  const perFile: Chunk[][] = [];
  const total = corpus.files.length;
  const tokenizerKey = side.chunker.unit === 'tokens' && tokenizer ? memo.identity(tokenizer) : null;
  const pause = yielder(options.signal);
  for (let index = 0; index < total; index++) {
    await pause();
    throwIfAborted(options.signal);
    const file = corpus.files[index]!;
    perFile.push(await memo.stage('chunk', [file.path, file.hash, side.chunker, side.preprocess, tokenizerKey], () => chunkFile(file, side, tokenizer)));
    if ((index + 1) % 50 === 0 || index + 1 === total) {
      options.onProgress?.({ stage: 'chunk', done: index + 1, total, message: file.path });
    }
  }
  return memo.stage('chunks', perFile.map((chunks) => memo.identity(chunks)), () => perFile.flat());
}
