// `arc eval` (DESIGN §6.1): a verifiable task set against the configured endpoint, the policy (spawn
// on) beside the baseline (spawn off) with the same model, accuracy and spend side by side.
import { readFile } from 'node:fs/promises';
import type { KnownRunEvent } from '../core/run/events';
import type { Engine } from '../engine/engine';
import type { RunRequest } from '../core/run/request';
import { countdownItems, parseJsonlItems, type EvalItem } from '../eval/items';
import { evalReportJson, formatEvalReport } from '../eval/report';
import { runEval, type Arm, type ArmResult } from '../eval/runEval';
import type { EvalArgs } from './args';
import { UsageError } from './args';

export async function loadEvalItems(args: Pick<EvalArgs, 'task' | 'n' | 'seed'>): Promise<EvalItem[]> {
  if (args.task === 'countdown') return countdownItems(args.n, args.seed);
  let text: string;
  try {
    text = await readFile(args.task, 'utf8');
  } catch (e) {
    throw new UsageError(`--task ${args.task}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); use countdown or a JSONL file.`);
  }
  const parsed = parseJsonlItems(text);
  if (parsed.errors.length > 0) {
    const first = parsed.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.error}`).join('; ');
    throw new UsageError(`--task ${args.task}: ${parsed.errors.length} malformed line(s): ${first}`);
  }
  if (parsed.items.length === 0) throw new UsageError(`--task ${args.task} has no items.`);
  return parsed.items.slice(0, args.n);
}

/** One arm: the same engine and request, spawn on or off. */
export function engineArm(name: string, engine: Engine, base: Omit<RunRequest, 'query'>, spawn: boolean): Arm {
  return {
    name,
    async run(item, signal): Promise<ArmResult> {
      const started = Date.now();
      let last: KnownRunEvent | undefined;
      let tokens = 0;
      for await (const ev of engine.run({ ...base, query: item.question, parallel: { ...base.parallel, spawn } }, signal)) {
        last = ev;
        if (ev.type === 'usage') tokens += ev.data.usage.completion;
      }
      const wallMs = Date.now() - started;
      if (last?.type === 'run.finished') {
        const stats = last.data.stats;
        return { status: 'done', answer: last.data.answer, tokens: stats?.totalTokens ?? tokens, criticalPathTokens: stats?.criticalPathTokens ?? tokens, wallMs };
      }
      const answer = last && 'answer' in last.data && typeof last.data.answer === 'string' ? last.data.answer : '';
      if (last?.type === 'run.cancelled') return { status: 'cancelled', answer, tokens, criticalPathTokens: tokens, wallMs };
      const error = last?.type === 'run.failed' ? last.data.error : 'the run ended without a result';
      return { status: 'failed', answer, tokens, criticalPathTokens: tokens, wallMs, error };
    },
  };
}

export async function runEvalCommand(
  args: EvalArgs,
  engine: Engine,
  signal: AbortSignal,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<'ok' | 'failed' | 'cancelled'> {
  const items = await loadEvalItems(args);
  const base: Omit<RunRequest, 'query'> = {
    // The comparison is about spawning, which reasoning mode does: auto would route some items away.
    mode: args.mode === 'auto' ? 'reasoning' : args.mode,
    modeChosenBy: 'setting',
    effort: args.effort,
    source: 'cli',
    parallel: { maxChildren: args.maxChildren },
    // Countdown prompts look multi-step to SCALE's auto rule; the comparison is spawn on vs off.
    scale: args.scale === 'auto' ? 'off' : args.scale,
  };
  const arms = [engineArm('spawn off', engine, base, false), engineArm('spawn on', engine, base, true)];
  err.write(`arc eval: ${items.length} item(s) of ${args.task}, ${arms.map((a) => a.name).join(' vs ')}, against ${args.model}\n`);
  const report = await runEval(items, arms, {
    concurrency: args.concurrency,
    signal,
    onProgress: (done, total) => err.write(`\r${done}/${total} runs`),
  });
  err.write('\n');
  out.write(args.json ? `${evalReportJson(report)}\n` : `${formatEvalReport(report)}\n`);
  if (signal.aborted) return 'cancelled';
  return 'ok';
}
