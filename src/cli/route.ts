// `arc route`: the router's decision without calling a model (DESIGN §6.1), for one query or a
// file of JSON lines. A malformed line prints {"error"} in its place and makes the exit code 1.
import { createReadStream } from 'node:fs';
import * as readline from 'node:readline';
import { z } from 'zod';
import { MODES } from '../core/run/events';
import type { RouteDecision } from '../core/run/seams';
import type { ModeCostView } from '../router/modeCosts';
import type { RouteArgs } from './args';

export type RouteContextInput = z.infer<typeof contextSchema>;
/** A decision, with the expected cost per mode when the router knows it. */
export type RouteResult = RouteDecision & { costs?: Record<(typeof MODES)[number], ModeCostView> };
export type RouteFn = (query: string, context: RouteContextInput, effort: number) => RouteResult;

const contextSchema = z.object({
  selectionLines: z.number().int().nonnegative().optional(),
  source: z.enum(['palette', 'inline', 'sidebar', 'chat']).optional(),
  language: z.string().max(100).optional(),
  diagnostics: z.union([z.number().int().nonnegative(), z.array(z.unknown())]).optional(),
});

const lineSchema = z.object({
  query: z.string().min(1, 'query must not be empty'),
  context: contextSchema.optional(),
});

/** The shape and key order of DESIGN §6.1, then (added) the expected cost per mode. */
export function decisionJson(d: RouteResult): string {
  return JSON.stringify({
    mode: d.mode,
    intent: d.intent,
    confidence: round(d.confidence),
    probabilities: { instant: round(d.probabilities.instant), reasoning: round(d.probabilities.reasoning), agentic: round(d.probabilities.agentic) },
    reason: d.reason,
    ...(d.costs ? { costs: d.costs } : {}),
  });
}

/** One line per mode: tokens, dollars when priced, and the penalty the decision charged. */
export function costLines(costs: NonNullable<RouteResult['costs']>): string {
  const lines = ['expected cost of one run (learned on your runs; priors until then):'];
  for (const m of MODES) {
    const c = costs[m];
    const usd = c.usd === null ? 'no price' : `$${c.usd < 0.01 ? c.usd.toPrecision(2) : c.usd.toFixed(4)}`;
    lines.push(`  ${m.padEnd(9)} ${Math.round(c.tokens.prompt).toLocaleString('en-US')} prompt + ${Math.round(c.tokens.output).toLocaleString('en-US')} output tokens, ${usd}, penalty ${c.penalty.toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** One output line for one input line, or undefined for a blank line (skipped). */
export function routeLine(line: string, route: RouteFn, effort: number): { out: string; ok: boolean } | undefined {
  if (line.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { out: JSON.stringify({ error: 'not valid JSON' }), ok: false };
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) return { out: JSON.stringify({ error: z.prettifyError(parsed.error).replace(/\n/g, ' ') }), ok: false };
  return { out: decisionJson(route(parsed.data.query, parsed.data.context ?? {}, effort)), ok: true };
}

export async function runRoute(args: RouteArgs, route: RouteFn, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (args.query !== undefined) {
    const d = route(args.query, {}, args.effort);
    if (args.json) out.write(`${decisionJson(d)}\n`);
    else {
      const p = d.probabilities;
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      out.write(`${d.mode} (${d.intent}), confidence ${pct(d.confidence)}\n${d.reason}\n`);
      out.write(`instant ${pct(p.instant)} · reasoning ${pct(p.reasoning)} · agentic ${pct(p.agentic)}\n`);
      if (d.costs) out.write(costLines(d.costs));
    }
    return 0;
  }
  const file = args.file!;
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  let bad = 0;
  try {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      const r = routeLine(line, route, args.effort);
      if (!r) continue;
      if (!r.ok) bad++;
      out.write(`${r.out}\n`);
    }
  } catch (e) {
    // A file that cannot be read is a usage problem, not a malformed line.
    err.write(`arc: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  if (bad > 0) err.write(`arc: ${bad} malformed line${bad === 1 ? '' : 's'} (see the {"error"} lines)\n`);
  return bad > 0 ? 1 : 0;
}
