// The commands ARC contributes; package.json's `contributes.commands` lists the same ids (a test checks).
export const COMMAND_IDS = [
  'arc.ask',
  'arc.askWithMode',
  'arc.whyThisMode',
  'arc.cancel',
  'arc.setApiKey',
  'arc.clearApiKey',
  'arc.testConnection',
  'arc.resetRouterLearning',
  'arc.rateAnswer',
  'arc.undoLastRun',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];
