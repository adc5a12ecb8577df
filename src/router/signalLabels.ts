// English text for the router's named signals, for reasons shown to the user whatever language the
// query was in ("Why This Mode?", run.routed reasons).
import { CUES } from './lexicon';

const SIGNAL_LABELS: Record<string, string> = {
  code_block: 'code block',
  inline_code: '`code` in the text',
  stack_trace: 'stack trace',
  error_text: 'error message',
  file_path: 'file path',
  many_paths: 'several file paths',
  symbol: 'symbol name',
  many_symbols: 'several symbol names',
  number: 'numbers',
  math: 'math',
  big_o: 'complexity notation',
  question: 'question',
  imperative: 'imperative',
  polite: 'polite request',
  multi_line: 'multi-line text',
  enumeration: 'lists its givens',
  len_1_3: 'very short query',
  len_4_8: 'short query',
  len_9_20: 'medium-length query',
  len_21_50: 'long query',
  len_51p: 'very long query',
  sel_none: 'no selection',
  sel_1: 'one selected line',
  sel_2_10: 'small selection',
  sel_11_50: 'selection of 11-50 lines',
  sel_51_200: 'large selection',
  sel_201p: 'very large selection',
  diag_any: 'diagnostics present',
  diag_many: 'many diagnostics',
  src_palette: 'asked from the palette',
  src_inline: 'inline chat',
  src_sidebar: 'asked in the sidebar',
  src_chat: 'asked in chat',
  src_other: 'asked from the CLI',
  lang_known: 'file language known',
  x_deictic_nosel: "'this' without a selection",
  x_trace_nosel: 'stack trace without the code',
  x_workspace_nosel: 'project reference, nothing selected',
  x_question_inline: 'question in inline chat',
  x_code_given: 'the code is given',
  x_why_code: "'why' about given code",
  x_imperative_sel: 'instruction on a selection',
};
for (const c of CUES) SIGNAL_LABELS[c.name] = c.label;

/** English text for a signal, for reasons shown to the user whatever language the query was in. */
export function signalLabel(name: string): string {
  return SIGNAL_LABELS[name] ?? name;
}
