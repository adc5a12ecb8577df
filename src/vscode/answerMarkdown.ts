// The text of an answer document. Pure, so that its wording is tested without an editor.
import type { Usage } from '../core/model/types';

export interface AnswerView {
  query: string;
  answer: string;
  reasoning: string;
  status: 'running' | 'finished' | 'failed' | 'cancelled';
  mode?: string;
  /** The router's reason for the mode. */
  reason?: string;
  model?: string;
  usage?: Usage;
  cost?: number | null;
  error?: string;
  /** The model is ARC's simulator (`npm run demo`), not a language model. */
  simulated?: boolean;
}

export function renderAnswerMarkdown(v: AnswerView): string {
  const lines: string[] = [`# ${oneLine(v.query)}`, ''];
  const meta = [v.mode && `${v.mode} mode`, v.model && `model \`${v.model}\``].filter(Boolean).join(' · ');
  if (meta) lines.push(`_${meta}_`, '');
  if (v.reason) lines.push(`> Why this mode: ${oneLine(v.reason)} — change it with "ARC: Ask with Mode…".`, '');
  if (v.simulated) lines.push("> **Simulated model** — these answers come from ARC's simulator, not a language model.", '');
  if (v.reasoning) {
    lines.push('<details><summary>Reasoning</summary>', '', v.reasoning.trim(), '', '</details>', '');
  }
  lines.push(v.answer || (v.status === 'running' ? '_Waiting for the answer…_' : ''), '');
  switch (v.status) {
    case 'finished':
      if (v.usage) {
        const cost = v.cost === null || v.cost === undefined ? 'cost unknown' : `$${v.cost.toFixed(6)}`;
        lines.push('---', `_${v.usage.prompt} prompt + ${v.usage.completion} completion tokens (${v.usage.reasoning} reasoning) · ${cost}_`);
      }
      break;
    case 'failed':
      lines.push('---', `**${v.answer ? 'Partial answer — ' : ''}Error:** ${v.error ?? 'unknown'}`);
      break;
    case 'cancelled':
      lines.push('---', v.answer ? '**Partial answer — cancelled.**' : '**Cancelled.**');
      break;
    case 'running':
      break;
  }
  return lines.join('\n') + '\n';
}

function oneLine(s: string): string {
  const first = s.split('\n')[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}…` : first;
}
