// The configuration module's public face: parse/load/find the workspace file, defaults, display strings.
export { ConfigError, findConfigFile, formatIssue, loadConfig, parseConfig } from './parse';
export { CONFIG_FILE_NAME, defaultConfig } from './defaults';
export { describeChunker, describeModel, describeTokenizer } from './describe';
export type * from './types';
