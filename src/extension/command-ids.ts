// The command ids the extension registers, in one place without `vscode`, so a unit test can check
// them against package.json's contributes.commands.
export const COMMAND_IDS = [
  'embeddingDrift.compare',
  'embeddingDrift.createConfiguration',
  'embeddingDrift.openLastReport',
  'embeddingDrift.clearCache',
  'embeddingDrift.setApiKey',
  'embeddingDrift.tokenizeSelection',
  'embeddingDrift.addAnchor',
  'embeddingDrift.saveBaseline',
  'embeddingDrift.compareWithBaseline',
  'embeddingDrift.toggleLive',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
