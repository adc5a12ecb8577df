// The evaluation report's charts (src/eval/reportHtml.ts): Observable Plot, bundled into the page, draws
// from the page's JSON data block. Plot adds a <style> element to each chart; under the page's CSP
// (styles only with its nonce) each chart is built detached, its <style> elements get the page's
// nonce, and only then is it attached, so nothing is refused and nothing is logged.
import * as Plot from '@observablehq/plot';
import type { ReportData as Data } from '../src/core/report/chartData';

const pageNonce = (): string => (document.currentScript as HTMLScriptElement | null)?.nonce || document.querySelector('meta[property="csp-nonce"]')?.getAttribute('content') || '';

function mount(id: string, chart: Element, nonce: string): void {
  const host = document.getElementById(id);
  if (!host) return;
  for (const s of Array.from(chart.querySelectorAll('style'))) s.nonce = nonce;
  if (chart instanceof HTMLStyleElement) chart.nonce = nonce;
  host.replaceChildren(chart);
}

function width(id: string): number {
  const w = document.getElementById(id)?.clientWidth ?? 480;
  return Math.max(320, Math.min(720, w || 480));
}

function draw(data: Data, nonce: string): void {
  const color = { legend: true, scheme: 'tableau10' as const };
  const costLabel = data.costUnit === 'USD' ? 'Mean cost per item (USD) →' : 'Mean tokens per item →';
  const front = data.points.filter((p) => p.frontier).sort((a, b) => a.cost - b.cost);
  if (data.points.length > 0) {
    mount(
      'chart-pareto',
      Plot.plot({
        width: width('chart-pareto'),
        height: 340,
        marginLeft: 48,
        marginRight: 24,
        grid: true,
        x: { label: costLabel, zero: true, nice: true },
        y: { label: '↑ Accuracy', domain: [0, 1], percent: false, tickFormat: '.0%' },
        color: { ...color, domain: data.points.map((p) => p.arm) },
        marks: [
          Plot.line(front, { x: 'cost', y: 'accuracy', stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '4,3' }),
          Plot.ruleX(data.points, { x: 'cost', y1: 'lo', y2: 'hi', stroke: 'arm', strokeOpacity: 0.6 }),
          Plot.dot(data.points, { x: 'cost', y: 'accuracy', fill: 'arm', r: 6, stroke: 'var(--bg, white)', tip: true }),
          Plot.text(front, { x: 'cost', y: 'accuracy', text: 'arm', dy: -12, fontSize: 11, fill: 'currentColor' }),
        ],
      }),
      nonce,
    );
  }
  if (data.curves.length > 0) {
    const maxReasoning = Math.max(1, ...data.curves.map((c) => c.reasoning));
    const scaled = data.curves.map((c) => ({ ...c, scaledReasoning: c.reasoning / maxReasoning }));
    mount(
      'chart-effort',
      Plot.plot({
        width: width('chart-effort'),
        height: 340,
        marginLeft: 48,
        marginRight: 48,
        grid: true,
        x: { label: 'Relative effort r →', type: 'log', ticks: [0.1, 0.25, 0.5, 1, 2], tickFormat: (d: number) => String(d) },
        y: { label: '↑ Accuracy (solid) · reasoning tokens (dashed, right axis)', domain: [0, 1], tickFormat: '.0%' },
        color: { ...color, domain: [...new Set(scaled.map((c) => c.curve))] },
        marks: [
          Plot.axisY({ anchor: 'right', label: `reasoning tokens per item (max ${Math.round(maxReasoning)})`, tickFormat: (d: number) => String(Math.round(d * maxReasoning)) }),
          Plot.line(scaled, { x: 'effort', y: 'accuracy', stroke: 'curve', marker: 'circle', sort: 'effort' }),
          Plot.line(scaled, { x: 'effort', y: 'scaledReasoning', stroke: 'curve', strokeDasharray: '5,4', marker: 'circle-stroke', sort: 'effort' }),
          Plot.tip(scaled, Plot.pointerX({ x: 'effort', y: 'accuracy', title: (c: { arm: string; accuracy: number; reasoning: number }) => `${c.arm}\naccuracy ${(100 * c.accuracy).toFixed(1)}%\nreasoning ${Math.round(c.reasoning)} tokens/item` })),
        ],
      }),
      nonce,
    );
  }
  if (data.kinds.length > 0) {
    mount(
      'chart-kinds',
      Plot.plot({
        width: width('chart-kinds'),
        height: 300,
        marginLeft: 48,
        marginBottom: 40,
        grid: true,
        fx: { label: null },
        x: { axis: null },
        y: { label: '↑ Accuracy', domain: [0, 1], tickFormat: '.0%' },
        color: { ...color, domain: [...new Set(data.kinds.map((k) => k.arm))] },
        marks: [Plot.barY(data.kinds, { fx: 'kind', x: 'arm', y: 'accuracy', fill: 'arm', tip: true }), Plot.ruleY([0])],
      }),
      nonce,
    );
  }
}

function main(): void {
  const nonce = pageNonce();
  const block = document.getElementById('arc-eval-data');
  if (!block?.textContent) return;
  const data = JSON.parse(block.textContent) as Data;
  try {
    draw(data, nonce);
  } catch (e) {
    for (const id of ['chart-pareto', 'chart-effort', 'chart-kinds']) {
      const host = document.getElementById(id);
      if (host && !host.firstChild) host.textContent = `The chart could not be drawn (${e instanceof Error ? e.message : String(e)}); the tables below carry every figure.`;
    }
  }
}

main();
