// The command ids the extension registers and the context keys that tick walkthrough steps, in one
// place without `vscode`, so a unit test can check them against package.json's contributes.
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
  'embeddingDrift.exportSide',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * Context keys set when a walkthrough step's command succeeded (package.json's completionEvents are
 * `onContext:` these), so a step is never ticked by a command that failed or was dismissed.
 */
export const WALKTHROUGH_CONTEXT = {
  configured: 'embeddingDrift.walkthrough.configured',
  compared: 'embeddingDrift.walkthrough.compared',
  anchorAdded: 'embeddingDrift.walkthrough.anchorAdded',
  baselineSaved: 'embeddingDrift.walkthrough.baselineSaved',
} as const;
