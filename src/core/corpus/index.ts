// The corpus module's public face: walk a folder into decoded, hashed files.
export { walkCorpus } from './walk';
export { decodeFile, firstInvalidUtf8 } from './decode';
