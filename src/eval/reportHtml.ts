// DIR/report.html (DESIGN §6.6): one self-contained page — no network, readable offline, the same
// strict CSP as ARC's webviews (scripts and styles only with the page's nonce). The charts are drawn
// in the page by Observable Plot, bundled into it (dist/evalReport.js, built from webview/evalReport.ts);
// the data they draw is a JSON block in the page. Everything from the model or the task file is
// escaped; the page is readable without its script (the tables carry every figure).
import { randomBytes } from 'node:crypto';
import type { ArmStats, EvalSummary } from './metrics';
import { formatMoney } from './progress';
import { costOfPassText, pairSentence } from './report';
import type { ResultRow, RunInfo } from './results';
import { GSM8K } from './gsm8k';
import type { ChartPoint, ReportData } from '../core/report/chartData';

export type { ChartPoint, ReportData } from '../core/report/chartData';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);
/** JSON that can sit inside a <script> element: no `<`, no line separators. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const int = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));
const ms = (v: number | null): string => (v === null ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);
const clip = (s: string, n: number): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** Arms no other arm beats on both accuracy and cost (ties kept). */
export function paretoFrontier(points: ReadonlyArray<{ arm: string; accuracy: number; cost: number }>): Set<string> {
  const front = new Set<string>();
  for (const p of points) {
    const dominated = points.some((q) => q !== p && q.accuracy >= p.accuracy && q.cost <= p.cost && (q.accuracy > p.accuracy || q.cost < p.cost));
    if (!dominated) front.add(p.arm);
  }
  return front;
}

export function reportData(s: EvalSummary): ReportData {
  const withItems = s.arms.filter((a) => a.items > 0);
  const costUnit = withItems.some((a) => a.cost === null) ? 'tokens' : 'USD';
  const perItem = (a: ArmStats): number => (costUnit === 'USD' ? (a.cost ?? 0) : a.tokens.prompt + a.tokens.completion) / a.items;
  const curveOf = new Map<string, string>();
  for (const [key, names] of Object.entries(s.curves)) for (const n of names) curveOf.set(n, key);
  const base = withItems.map((a) => ({ arm: a.arm, accuracy: a.accuracy ?? 0, cost: perItem(a) }));
  const front = paretoFrontier(base);
  const points: ChartPoint[] = withItems.map((a, i) => ({
    ...base[i]!,
    lo: a.ci95?.[0] ?? 0,
    hi: a.ci95?.[1] ?? 0,
    frontier: front.has(a.arm),
    effort: a.settings.effort,
    reasoning: a.meanReasoningTokens,
    ...(curveOf.has(a.arm) ? { curve: curveLabel(curveOf.get(a.arm)!) } : {}),
  }));
  const kinds = withItems.flatMap((a) => Object.entries(a.byKind).map(([kind, k]) => ({ arm: a.arm, kind, accuracy: k.items ? k.correct / k.items : 0, items: k.items })));
  const curves = points.filter((p) => p.curve).map((p) => ({ curve: p.curve!, arm: p.arm, effort: p.effort, accuracy: p.accuracy, reasoning: p.reasoning }));
  return { costUnit, points, kinds, curves };
}

function curveLabel(key: string): string {
  const [mode, scale, spawn] = key.split('|');
  return `${mode}${scale === 'scale:auto' ? '' : `, ${scale}`}${spawn === 'spawn:on' ? '' : `, ${spawn}`}`;
}

const CSS = `
:root { color-scheme: light dark; --bg: var(--vscode-editor-background, #ffffff); --fg: var(--vscode-editor-foreground, #1f2328);
  --muted: var(--vscode-descriptionForeground, #59636e); --line: var(--vscode-panel-border, #d1d9e0); --card: var(--vscode-sideBar-background, #f6f8fa);
  --good: #1a7f37; --bad: #cf222e; --accent: var(--vscode-textLink-foreground, #0969da); --warn-bg: #fff8c5; --warn-fg: #4d2d00; }
@media (prefers-color-scheme: dark) { :root { --bg: var(--vscode-editor-background, #0d1117); --fg: var(--vscode-editor-foreground, #e6edf3);
  --muted: var(--vscode-descriptionForeground, #9198a1); --line: var(--vscode-panel-border, #3d444d); --card: var(--vscode-sideBar-background, #151b23);
  --good: #3fb950; --bad: #f85149; --accent: var(--vscode-textLink-foreground, #4493f8); --warn-bg: #3b2e00; --warn-fg: #f2cc60; } }
body.vscode-light { --good: #1a7f37; --bad: #cf222e; --warn-bg: #fff8c5; --warn-fg: #4d2d00; }
body.vscode-dark, body.vscode-high-contrast { --good: #3fb950; --bad: #f85149; --warn-bg: #3b2e00; --warn-fg: #f2cc60; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.sub, .note, figcaption { color: var(--muted); }
.note { font-size: 13px; }
.banner { background: var(--warn-bg); color: var(--warn-fg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 16px 0; font-weight: 600; }
.stopped { border-left: 4px solid var(--accent); padding: 6px 12px; background: var(--card); margin: 12px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; margin: 16px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.card .arm { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.card .acc { font-size: 28px; font-weight: 650; line-height: 1.2; }
.card .ci, .card .more { color: var(--muted); font-size: 12px; }
.card.front { border-color: var(--accent); }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; border: 1px solid var(--accent); color: var(--accent); margin-left: 6px; font-weight: 500; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 20px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px; }
figure .plot { min-height: 40px; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: right; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th:first-child, td:first-child, td.q, th.q { text-align: left; }
thead th { position: sticky; top: 0; background: var(--bg); }
td.q { max-width: 360px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.ok { color: var(--good); font-weight: 600; }
.no { color: var(--bad); font-weight: 600; }
.scroll { overflow-x: auto; }
details summary { cursor: pointer; color: var(--accent); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { color: var(--muted); }
dd { margin: 0; }
`;

function cards(s: EvalSummary, front: Set<string>): string {
  return s.arms
    .map(
      (a) => `<div class="card${front.has(a.arm) ? ' front' : ''}"><div class="arm">${esc(a.arm)}${front.has(a.arm) ? '<span class="tag">Pareto</span>' : ''}</div>
<div class="acc">${pct(a.accuracy)}</div><div class="ci">95% CI ${a.ci95 ? `${pct(a.ci95[0])} – ${pct(a.ci95[1])}` : '—'} · ${a.correct}/${a.items}</div>
<div class="more">cost ${a.cost === null ? 'no price' : formatMoney(a.cost)} · per pass ${esc(costOfPassText(a))}</div></div>`,
    )
    .join('\n');
}

function armTable(s: EvalSummary): string {
  const rows: Array<[string, (a: ArmStats) => string]> = [
    ['items', (a) => int(a.items)],
    ['correct', (a) => int(a.correct)],
    ['accuracy', (a) => pct(a.accuracy)],
    ['95% interval (Wilson)', (a) => (a.ci95 ? `${pct(a.ci95[0])} – ${pct(a.ci95[1])}` : '—')],
    ['cost', (a) => (a.cost === null ? 'no price' : formatMoney(a.cost))],
    ['cost of pass', (a) => costOfPassText(a)],
    ['prompt tokens', (a) => int(a.tokens.prompt)],
    ['completion tokens', (a) => int(a.tokens.completion)],
    ['reasoning tokens', (a) => int(a.tokens.reasoning)],
    ['latency p50', (a) => ms(a.latencyMs.p50)],
    ['latency p90', (a) => ms(a.latencyMs.p90)],
    ['calls cut at budget', (a) => (a.cutShare === undefined ? '' : pct(a.cutShare))],
    ['budget calibration (used / asked)', (a) => (a.budgetCalibration === undefined ? '' : a.budgetCalibration.toFixed(2))],
    ['routed modes (instant / reasoning / agentic)', (a) => (a.modes ? `${a.modes.instant} / ${a.modes.reasoning} / ${a.modes.agentic}` : '')],
    ['threads per item', (a) => (a.threadsPerItem === undefined ? '' : a.threadsPerItem.toFixed(2))],
    ['critical-path tokens per item', (a) => int(a.criticalPathTokens)],
    ['failed runs', (a) => int(a.failed)],
    ['settings', (a) => `${a.settings.mode} · r ${a.settings.effort} · scale ${a.settings.scale} · spawn ${a.settings.spawn ? 'on' : 'off'}`],
  ];
  const body = rows
    .map(([label, cell]) => [label, s.arms.map(cell)] as const)
    .filter(([, cells]) => cells.some((c) => c !== ''))
    .map(([label, cells]) => `<tr><th>${esc(label)}</th>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="scroll"><table><thead><tr><th></th>${s.arms.map((a) => `<th class="mono">${esc(a.arm)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function pairsTable(s: EvalSummary): string {
  if (s.pairs.length === 0) return '<p class="note">One arm: nothing to pair.</p>';
  const first = s.arms[0]?.arm;
  const sorted = [...s.pairs].sort((x, y) => Number(y.a === first) - Number(x.a === first) || x.pValue - y.pValue);
  const row = (p: (typeof s.pairs)[number]) =>
    `<tr><td class="mono">${esc(p.a)}</td><td class="mono">${esc(p.b)}</td><td>${p.aOnly}</td><td>${p.bOnly}</td><td>${p.both}</td><td>${p.neither}</td><td>${p.pValue < 0.001 ? '&lt;0.001' : p.pValue.toFixed(3)}</td><td class="q">${esc(pairSentence(p).split(' (')[1]?.replace(/\)\.$/, '') ?? '')}</td></tr>`;
  return `<div class="scroll"><table><thead><tr><th>A</th><th>B</th><th>A only right</th><th>B only right</th><th>both</th><th>neither</th><th>p (exact McNemar)</th><th class="q">reading</th></tr></thead><tbody>${sorted.map(row).join('\n')}</tbody></table></div>`;
}

function itemTable(s: EvalSummary, info: RunInfo | undefined, rows: readonly ResultRow[]): string {
  const arms = s.arms.map((a) => a.arm);
  const byKey = new Map(rows.map((r) => [`${r.id}\u0000${r.arm}`, r]));
  const ids = info?.itemList.map((i) => i.id).filter((id) => arms.some((a) => byKey.has(`${id}\u0000${a}`))) ?? [...new Set(rows.map((r) => r.id))];
  const meta = new Map((info?.itemList ?? []).map((i) => [i.id, i]));
  const cell = (id: string, arm: string): string => {
    const r = byKey.get(`${id}\u0000${arm}`);
    if (!r) return '<td class="note">not run</td>';
    const mark = r.correct ? '<span class="ok">✓</span>' : '<span class="no">✗</span>';
    const said = clip(r.error ? `error: ${r.error}` : (r.reason ?? extractShown(r.answer)), 70);
    return `<td class="q">${mark} <span class="mono">${esc(said)}</span></td>`;
  };
  const body = ids
    .map((id) => {
      const m = meta.get(id);
      return `<tr><td class="mono">${esc(id)}</td><td class="q">${esc(clip(m?.question ?? '', 140))}${m?.kind ? ` <span class="note">(${esc(m.kind)})</span>` : ''}</td><td class="q mono">${esc(clip(m?.expected ?? '', 40))}</td>${arms.map((a) => cell(id, a)).join('')}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table><thead><tr><th>item</th><th class="q">question</th><th class="q">expected</th>${arms.map((a) => `<th class="q mono">${esc(a)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function extractShown(answer: string): string {
  const m = /<answer>([\s\S]*?)<\/answer>|answer\s*[:：]\s*(.+)$/im.exec(answer);
  return (m?.[1] ?? m?.[2] ?? answer).trim();
}

export interface RenderOptions {
  /** The chart bundle's code (dist/evalReport.js); without it the page has its tables only and says so. */
  script?: string;
  nonce?: string;
}

export function renderReportHtml(s: EvalSummary, rows: readonly ResultRow[], info: RunInfo | undefined, opts: RenderOptions = {}): string {
  const n = opts.nonce ?? nonce();
  const data = reportData(s);
  const front = new Set(data.points.filter((p) => p.frontier).map((p) => p.arm));
  const csp = ["default-src 'none'", `script-src 'nonce-${n}'`, `style-src 'nonce-${n}'`, 'img-src data:', "connect-src 'none'", "form-action 'none'", "base-uri 'none'"].join('; ');
  const costAxis = data.costUnit === 'USD' ? 'mean cost per item (USD)' : 'mean tokens per item (no price set)';
  const stopped =
    s.stoppedBy === 'max-cost'
      ? `<p class="stopped">Stopped at the --max-cost cap of ${formatMoney(s.maxCost ?? 0)}: ${s.ran} of ${s.planned} runs ran. Every figure covers those runs; pairs use only items both arms ran.</p>`
      : s.stoppedBy === 'cancelled'
        ? `<p class="stopped">Interrupted: ${s.ran} of ${s.planned} runs ran (<code>arc eval … --resume</code> continues).</p>`
        : s.stoppedBy === 'endpoint'
          ? `<p class="stopped">Stopped: the endpoint failed every run tried.</p>`
          : '';
  const simulated = s.simulated
    ? `<div class="banner" role="note">SIMULATED — these figures come from ARC's built-in simulator (DESIGN §8), not a language model. They check that each policy spends where the simulator says it pays; they are not evidence about any real model. Point <code>arc eval</code> at your endpoint for that.</div>`
    : '';
  const gsm = s.task === 'gsm8k' || s.licence ? `<p class="note">GSM8K test set: ${esc(s.licence ?? GSM8K.licence)} — <span class="mono">${esc(GSM8K.source)}</span>.</p>` : '';
  const settings: Array<[string, string]> = [
    ['task', s.task],
    ['model', s.model],
    ['endpoint', info?.settings.baseUrl ?? '—'],
    ['items', `${s.n}${info ? ` of ${info.items} asked` : ''}`],
    ['arms', s.arms.map((a) => a.arm).join(', ')],
    ['seed', String(info?.settings.seed ?? '—')],
    ['concurrency', String(info?.settings.concurrency ?? '—')],
    ['max cost', s.maxCost !== undefined ? formatMoney(s.maxCost) : 'none'],
    ['learn', info?.settings.learn ? 'on (verified outcomes taught the router)' : 'off'],
    ['started', s.startedAt],
    ['finished', s.finishedAt],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${n}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>ARC evaluation — ${esc(s.task)} on ${esc(s.model)}${s.simulated ? ' (simulated)' : ''}</title>
<style nonce="${n}">${CSS}</style>
</head>
<body>
<main>
<h1>${s.simulated ? 'Does adapting pay? (simulated)' : `Does adapting pay on ${esc(s.model)}?`}</h1>
<p class="sub">ARC evaluation · task <b>${esc(s.task)}</b> · model <b>${esc(s.model)}</b> · ${s.n} items × ${s.arms.length} arms · ${esc(s.finishedAt.slice(0, 16).replace('T', ' '))}</p>
${simulated}
${stopped}
<div class="cards">${cards(s, front)}</div>
<h2>Accuracy against cost</h2>
<div class="charts">
<figure><div class="plot" id="chart-pareto" data-unit="${esc(costAxis)}"></div><figcaption>Each arm's accuracy (with its 95% interval) against its ${esc(costAxis)}. The line joins the Pareto frontier: arms no other arm beats on both.</figcaption></figure>
<figure><div class="plot" id="chart-effort"></div><figcaption>${data.curves.length ? 'The effort curve (e1): accuracy and mean reasoning tokens per item against relative effort r, for arms that differ only in r.' : 'No effort curve: run two or more effort arms, e.g. <code>--arms effort:0.25,0.5,1,2</code>.'}</figcaption></figure>
<figure><div class="plot" id="chart-kinds"></div><figcaption>Accuracy per kind of task (instant, reasoning, agentic), per arm.</figcaption></figure>
</div>
<h2>Arms</h2>
${armTable(s)}
${s.arms.some((a) => a.cost === null) ? '<p class="note">No price is known for this model (set <code>ARC_PRICES</code> or <code>arc.prices</code>): cost is shown as “no price”, and cost of pass is tokens (prompt + completion) per correct answer.</p>' : ''}
<h2>Paired comparisons</h2>
<p class="note">Each pair on the items both arms ran: how often only one was right. The p-value is the exact McNemar (sign) test on those discordant items; below 0.05 the difference is unlikely to be chance.</p>
${pairsTable(s)}
<h2>How to read this</h2>
<ul class="note">
<li><b>Accuracy</b> is the share of items whose answer passed the task's check; the interval is Wilson's 95% score interval. Overlapping intervals are not a verdict — the paired test is.</li>
<li><b>Cost of pass</b> is what an arm spent per correct answer (cost ÷ correct): the figure A²FM compares. Lower is better; “—” means nothing was correct.</li>
<li><b>auto</b> lets ARC's router pick the mode per item; <b>instant / reasoning / agentic</b> force one. Auto pays off when it sits on the frontier near the best forced mode at a lower cost.</li>
<li>Latency is per item; with the simulator it is the simulated time (200 ms per call on the critical path plus 50 tokens a second).</li>
</ul>
<h2>Items</h2>
<details${rows.length <= 400 ? ' open' : ''}><summary>Each item, each arm's answer and verdict</summary>
${itemTable(s, info, rows)}
</details>
<h2>Model and settings</h2>
<dl>${settings.map(([k, v]) => `<dt>${esc(k)}</dt><dd class="mono">${esc(v)}</dd>`).join('')}</dl>
${gsm}
<p class="note">Made by <span class="mono">arc eval</span>. Re-render with <span class="mono">arc eval --report DIR</span>.${opts.script ? '' : ' Charts are missing: the chart bundle (dist/evalReport.js) was not found when this page was written.'}</p>
</main>
<script type="application/json" id="arc-eval-data">${scriptJson(data)}</script>
${opts.script ? `<script nonce="${n}">${opts.script.replace(/<\/script/gi, '<\\/script')}</script>` : ''}
</body>
</html>
`;
}
