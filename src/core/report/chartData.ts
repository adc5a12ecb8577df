// What the evaluation report page draws (DESIGN §6.6): built by src/eval/reportHtml.ts, embedded in the
// page as JSON, read by webview/evalReport.ts — one definition for both sides.

export interface ChartPoint {
  arm: string;
  accuracy: number;
  lo: number;
  hi: number;
  /** Mean cost per item: USD, or tokens when some arm has no price. */
  cost: number;
  frontier: boolean;
  effort: number;
  reasoning: number;
  curve?: string;
}

export interface ReportData {
  costUnit: 'USD' | 'tokens';
  points: ChartPoint[];
  kinds: Array<{ arm: string; kind: string; accuracy: number; items: number }>;
  curves: Array<{ curve: string; arm: string; effort: number; accuracy: number; reasoning: number }>;
}
