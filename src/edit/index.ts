// Pure edit logic for inline chat: no `vscode` import, so it runs and is tested in plain Node.
export { StreamingLineDiff, diffProposal, type Hunk, type StreamingDiffOptions } from './streamingDiff';
export { applyHunks, layout, type HunkRanges, type Layout, type Resolution } from './applyHunks';
export {
  DEFAULT_STYLE,
  detectLineStyle,
  lineRangeOffsets,
  splitLines,
  type Eol,
  type LineRange,
  type LineStyle,
} from './lineText';
export { ProposalModel, type ProposalCounts, type ProposalOptions } from './proposal';
export { LeadingProseFilter } from './replyFilter';
export { applyDelta, lineDelta, mapSpan, type TextChange, type TextDelta } from './textDelta';
export { ChangeSet, fileState, type ChangeSetSummary, type FileReview, type FileReviewState } from './changeSet';
