// The terminal's progress line (stderr): a bar, runs done of planned, an ETA, and each arm's running
// accuracy and cost. Redrawn in place on a terminal; on a pipe, one line every tenth of the way.
import type { ResultRow } from './results';

export interface ProgressLine {
  row(row: ResultRow): void;
  done(): void;
}

export function formatMoney(usd: number | null): string {
  if (usd === null) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 10) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function progressText(arms: readonly string[], rows: readonly ResultRow[], planned: number, elapsedMs: number, doneBefore = 0, width = 16): string {
  const done = rows.length + doneBefore;
  const share = planned === 0 ? 1 : Math.min(1, done / planned);
  const filled = Math.round(share * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const eta = rows.length === 0 ? '–:––' : clock((elapsedMs / rows.length) * Math.max(0, planned - done));
  const per = arms.map((arm) => {
    const mine = rows.filter((r) => r.arm === arm);
    if (mine.length === 0) return `${arm} –`;
    const acc = Math.round((100 * mine.filter((r) => r.correct).length) / mine.length);
    const cost = mine.some((r) => r.cost === null) ? `${Math.round(mine.reduce((s, r) => s + r.usage.prompt + r.usage.completion, 0) / 1000)}k tok` : formatMoney(mine.reduce((s, r) => s + (r.cost ?? 0), 0));
    return `${arm} ${acc}% ${cost}`;
  });
  return `${bar} ${done}/${planned} ETA ${eta} · ${per.join(' · ')}`;
}

export function terminalProgress(err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, arms: readonly string[], planned: number, doneBefore = 0): ProgressLine {
  const rows: ResultRow[] = [];
  const started = performance.now();
  let lastTenth = -1;
  return {
    row(row) {
      rows.push(row);
      const text = progressText(arms, rows, planned, performance.now() - started, doneBefore);
      if (err.isTTY) {
        const cols = err.columns ?? 120;
        err.write(`\r\x1b[2K${text.length > cols - 1 ? `${text.slice(0, cols - 2)}…` : text}`);
      } else {
        const tenth = Math.floor(((rows.length + doneBefore) / Math.max(1, planned)) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          err.write(`${text}\n`);
        }
      }
    },
    done() {
      if (err.isTTY && rows.length > 0) err.write('\n');
    },
  };
}
