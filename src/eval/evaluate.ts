// One evaluation from start to report, shared by `arc eval` and the editor's Run Evaluation…: the
// items and arms, DIR/run.json, the runs (appended to DIR/results.jsonl as each finishes; `resume`
// skips the item × arm pairs already there), DIR/summary.json and DIR/report.html.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AdaptiveScheduler } from '../core/scheduler';
import type { ArmBase, ArmSpec } from './arms';
import type { CheckContext } from './checks';
import type { EvalItem } from './items';
import { summarise, type EvalSummary } from './metrics';
import { renderReportHtml } from './reportHtml';
import { QUESTION_CHARS, readResults, readRunInfo, repairTail, REPORT_FILE, ResultsFile, RUN_FILE, SUMMARY_FILE, writeAtomic, type ResultRow, type RunInfo } from './results';
import { rowKey, runEval, type ArmRunner } from './runEval';

export class EvalSetupError extends Error {}

export interface EvaluateOptions {
  task: string;
  items: readonly EvalItem[];
  model: string;
  simulated: boolean;
  arms: readonly ArmSpec[];
  base: ArmBase;
  out: string;
  resume: boolean;
  n: number;
  seed: number;
  concurrency: number;
  maxCost?: number;
  baseUrl?: string;
  learn?: boolean;
  licence?: string;
  run: ArmRunner;
  runCommand?: CheckContext['runCommand'];
  scheduler?: AdaptiveScheduler;
  signal?: AbortSignal;
  /** Told before the runs start: how many are planned and how many the file already holds. */
  onStart?: (planned: number, already: number) => void;
  onRow?: (row: ResultRow) => void;
  /** The chart bundle's code, inlined into report.html. */
  reportScript?: string;
}

export interface EvaluateResult {
  summary: EvalSummary;
  rows: ResultRow[];
  dir: string;
}

function sameEval(prev: RunInfo, next: RunInfo): string | undefined {
  if (prev.task !== next.task) return `task ${prev.task}, not ${next.task}`;
  if (prev.model !== next.model) return `model ${prev.model}, not ${next.model}`;
  if (prev.settings.seed !== next.settings.seed && next.task === 'countdown') return `seed ${prev.settings.seed}, not ${next.settings.seed}`;
  const a = prev.arms.map((x) => x.name).join(',');
  const b = next.arms.map((x) => x.name).join(',');
  if (a !== b) return `arms ${a}, not ${b}`;
  return undefined;
}

export async function evaluate(o: EvaluateOptions): Promise<EvaluateResult> {
  const dir = path.resolve(o.out);
  const info: RunInfo = {
    v: 1,
    task: o.task,
    model: o.model,
    simulated: o.simulated,
    items: o.items.length,
    itemList: o.items.map((i) => ({
      id: i.id,
      question: i.question.length > QUESTION_CHARS ? `${i.question.slice(0, QUESTION_CHARS - 1)}…` : i.question,
      ...(i.kind ? { kind: i.kind } : {}),
      ...(i.expected !== undefined ? { expected: i.expected.slice(0, 200) } : {}),
    })),
    arms: [...o.arms],
    base: o.base,
    settings: { n: o.n, seed: o.seed, concurrency: o.concurrency, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}), ...(o.maxCost !== undefined ? { maxCost: o.maxCost } : {}), ...(o.learn ? { learn: true } : {}) },
    ...(o.maxCost !== undefined ? { maxCost: o.maxCost } : {}),
    ...(o.licence ? { licence: o.licence } : {}),
    startedAt: new Date().toISOString(),
  };
  let previous: ResultRow[] = [];
  const prevInfo = await readRunInfo(dir);
  const existing = await readResults(dir).catch((e: unknown) => {
    throw new EvalSetupError((e as Error).message);
  });
  if (o.resume) {
    if (prevInfo) {
      const differs = sameEval(prevInfo, info);
      if (differs) throw new EvalSetupError(`--resume: ${dir} holds another eval (${differs}); use another --out, or the same options.`);
      info.startedAt = prevInfo.startedAt;
    }
    await repairTail(dir);
    const wanted = new Set(o.items.map((i) => i.id));
    const arms = new Set(o.arms.map((a) => a.name));
    previous = existing.filter((r) => wanted.has(r.id) && arms.has(r.arm));
  } else if (existing.length > 0) {
    throw new EvalSetupError(`${dir} already holds results (${existing.length} rows): pass --resume to continue that eval, or choose another --out.`);
  }
  await writeAtomic(path.join(dir, RUN_FILE), `${JSON.stringify(info, null, 1)}\n`);
  const file = new ResultsFile(dir);
  const skip = new Set(previous.map((r) => rowKey(r.id, r.arm)));
  o.onStart?.(o.items.length * o.arms.length, skip.size);
  const outcome = await runEval(o.items, o.arms, {
    run: o.run,
    concurrency: o.concurrency,
    ...(o.signal ? { signal: o.signal } : {}),
    skip,
    ...(o.maxCost !== undefined ? { maxCost: o.maxCost } : {}),
    spentBefore: previous.reduce((s, r) => s + (r.cost ?? 0), 0),
    ...(o.runCommand ? { runCommand: o.runCommand } : {}),
    ...(o.scheduler ? { scheduler: o.scheduler } : {}),
    onRow: async (row) => {
      await file.append(row);
      o.onRow?.(row);
    },
  });
  await file.flush();
  // In item order, then arm order, whatever order they finished in.
  const order = new Map(o.items.map((i, k) => [i.id, k]));
  const armOrder = new Map(o.arms.map((a, k) => [a.name, k]));
  const rows = [...previous, ...outcome.rows].sort((a, b) => order.get(a.id)! - order.get(b.id)! || armOrder.get(a.arm)! - armOrder.get(b.arm)!);
  const summary = summarise(info, rows, outcome.stoppedBy ? { stoppedBy: outcome.stoppedBy } : {});
  await writeReport(dir, summary, rows, info, o.reportScript);
  return { summary, rows, dir };
}

export async function writeReport(dir: string, summary: EvalSummary, rows: readonly ResultRow[], info: RunInfo | undefined, script?: string): Promise<void> {
  await writeAtomic(path.join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 1)}\n`);
  await writeAtomic(path.join(dir, REPORT_FILE), renderReportHtml(summary, rows, info, script ? { script } : {}));
}

/** `arc eval --report DIR`: summary.json and report.html again from DIR/results.jsonl (and DIR/run.json). */
export async function rerenderReport(dirIn: string, script?: string): Promise<EvaluateResult> {
  const dir = path.resolve(dirIn);
  const rows = await readResults(dir);
  let info = await readRunInfo(dir);
  if (!info && rows.length === 0) throw new EvalSetupError(`${dir} holds no eval (no ${RUN_FILE}, no results.jsonl rows).`);
  if (!info) {
    // Results without run.json: arms and items as the rows name them.
    const arms = [...new Set(rows.map((r) => r.arm))].map((name) => ({ name }));
    const ids = [...new Set(rows.map((r) => r.id))];
    const prevSummary = await readFile(path.join(dir, SUMMARY_FILE), 'utf8').then((t) => JSON.parse(t) as Partial<EvalSummary>).catch(() => undefined);
    info = {
      v: 1,
      task: prevSummary?.task ?? 'unknown',
      model: prevSummary?.model ?? 'unknown',
      simulated: prevSummary?.simulated ?? false,
      items: ids.length,
      itemList: ids.map((id) => ({ id, question: '' })),
      arms,
      base: { mode: 'auto', effort: 1, scale: 'auto', spawn: true },
      settings: { n: ids.length, seed: 0, concurrency: 1 },
      startedAt: prevSummary?.startedAt ?? new Date().toISOString(),
    };
  }
  const planned = new Set(info.itemList.map((i) => i.id));
  const ran = rows.filter((r) => planned.has(r.id));
  const stoppedBy = ran.length < info.items * info.arms.length ? (info.maxCost !== undefined ? 'max-cost' : 'cancelled') : undefined;
  const summary = summarise(info, ran, stoppedBy ? { stoppedBy } : {});
  await writeReport(dir, summary, ran, info, script);
  return { summary, rows: ran, dir };
}
