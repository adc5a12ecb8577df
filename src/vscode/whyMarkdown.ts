// The "Why This Mode?" document. Pure, so that its wording is tested without an editor.
import { MODES, type Mode } from '../core/run/events';
import type { RouteDecision } from '../core/run/seams';
import type { ModeCostView } from '../router/modeCosts';

export interface WhyView {
  query: string;
  decision: RouteDecision;
  /** What the model alone decides, before learning and exploration. */
  modelOnly: RouteDecision;
  scores: Record<Mode, number>;
  signals: string[];
  learned?: Record<Mode, number>;
  forced?: Mode;
  /** Expected cost of one run per mode on the user's models, and the penalty it became. */
  costs?: Record<Mode, ModeCostView>;
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');

function costRows(costs: Record<Mode, ModeCostView>, chosen: Mode): string[] {
  const rows = [
    'Expected cost of one run, on your models for this kind of query (learned from your finished runs; priors until then):',
    '',
    '| mode | tokens (prompt + output) | cost | relative to instant | penalty |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const m of MODES) {
    const c = costs[m];
    const usd = c.usd === null ? 'no price' : `$${c.usd < 0.01 ? c.usd.toPrecision(2) : c.usd.toFixed(4)}`;
    rows.push(`| ${m === chosen ? `**${m}**` : m} | ${int(c.tokens.prompt)} + ${int(c.tokens.output)} | ${usd} | ${c.relative >= 0 ? '+' : ''}${c.relative.toFixed(2)} | ${c.penalty.toFixed(3)} |`);
  }
  rows.push(
    '',
    '"Relative to instant" is the extra cost over an instant answer in units of one typical reasoning run (1,000 output tokens at the middle price of your three roles). The penalty weighs it by effort and, beyond the built-in costs, by how likely instant is to be enough (A²FM).',
    '',
  );
  return rows;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function renderWhyMarkdown(v: WhyView): string {
  const d = v.decision;
  const lines = [
    `# Why ${d.mode}?`,
    '',
    `> ${v.query.split('\n')[0]!.slice(0, 200)}`,
    '',
    `**${d.mode}** (${d.intent}), confidence ${pct(d.confidence)}. ${d.reason}`,
    '',
  ];
  if (v.forced) lines.push(`You chose ${v.forced} for this run.`, '');
  lines.push('| mode | probability | expected success − cost |', '|---|---:|---:|');
  for (const m of MODES) lines.push(`| ${m === d.mode ? `**${m}**` : m} | ${pct(d.probabilities[m])} | ${v.scores[m].toFixed(3)} |`);
  lines.push('');
  if (v.costs) lines.push(...costRows(v.costs, d.mode));
  if (v.signals.length) lines.push(`Strongest signals: ${v.signals.join(', ')}.`, '');
  const learned = v.learned && MODES.some((m) => v.learned![m] !== 0) ? v.learned : undefined;
  if (learned) {
    lines.push(
      `Learned from your earlier choices for this kind of query: ${MODES.map((m) => `${m} ${learned[m] >= 0 ? '+' : ''}${learned[m].toFixed(1)}`).join(', ')} (log-odds).` +
        (v.modelOnly.mode !== d.mode ? ` The model alone would pick ${v.modelOnly.mode}.` : ''),
      '',
    );
  } else lines.push('Nothing learned yet for this kind of query: this is the model alone.', '');
  lines.push('Change it: "ARC: Ask with Mode…" for one question, the `arc.mode` setting for all, `arc.router.enabledModes` to rule a mode out, "ARC: Reset Router Learning" to forget what was learned.');
  return lines.join('\n') + '\n';
}
