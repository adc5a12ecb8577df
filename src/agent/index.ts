// Agentic mode (DESIGN §3.1, §5, §6.5): the tool loop over the workspace and what keeps it safe.
// Plain Node: no `vscode` import anywhere under src/agent.
export * from './approver';
export * from './commandPolicy';
export * from './commandRunner';
export { compileGlob, GlobError, IgnoreRules, isSensitivePath, SENSITIVE_PATTERNS } from './filters';
export * from './loop';
export * from './nodeWorkspace';
export * from './prompts';
export { compileQuery, findRipgrep, MAX_SEARCH_FILE_BYTES, type SearchOutcome, type TextMatch } from './search';
export * from './snapshots';
export type { SymbolMatch } from './symbols';
export * from './tools';
export * from './workspace';
export * from './undoStack';
export * from './protectedPaths';
export * from './sandbox';
export * from './builtinTools';
export * from './fileTools';
export * from './commandTool';
export * from './instructions';
