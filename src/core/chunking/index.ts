// The chunking module's public face.
export { chunkCorpus, chunkFile, chunkSpans, type ChunkingSide } from './chunk';
export { originalSpan, preprocess, type Preprocessed } from './preprocess';
export { markdownBlocks } from './markdown';
export { sentenceUnits } from './sentence';
export { charMeasure, tokenMeasure, type Measure, type Span } from './spans';
