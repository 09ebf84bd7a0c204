/**
 * One measured figure of `npm run bench`: a value, the baseline measured in the same run that it is
 * judged against, their ratio, and the target the issue set for that ratio.
 */
export interface Figure {
  /** What is measured, e.g. "origin page (HTML) by Digital Link". */
  name: string;
  /** The size it was measured at, e.g. "10,000 events"; every figure is taken at two sizes. */
  size: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string } | undefined;
  /** The ratio the target is stated in: value ÷ baseline for rates, time ÷ baseline time for overheads. */
  ratio?: number | undefined;
  /**
   * The target for `ratio`, e.g. { min: 0.5 } or { max: 1.5 }; for a figure without a baseline
   * (a Lighthouse score, a paint time), the target for `value` in its unit.
   */
  target?: { min?: number; max?: number } | undefined;
  /** Extra numbers worth keeping (p99 latency, peak RSS, counts). */
  details?: Record<string, number | string> | undefined;
}

/** value / baseline, rounded to 3 digits. */
export function ratioOf(value: number, baseline: number): number {
  return Math.round((value / baseline) * 1000) / 1000;
}

/** What the target is stated on: the ratio to a baseline, else the value itself. */
const judged = (figure: Figure): { value: number | undefined; unit: string } =>
  figure.baseline ? { value: figure.ratio, unit: '×' } : { value: figure.value, unit: figure.unit === '/ 100' ? '' : ` ${figure.unit}` };

export function targetText(figure: Figure): string {
  const { target } = figure;
  if (!target) return '';
  const { unit } = judged(figure);
  if (target.min !== undefined) return `≥ ${target.min.toLocaleString('en-US')}${unit}`;
  if (target.max !== undefined) return `≤ ${target.max.toLocaleString('en-US')}${unit}`;
  return '';
}

export function targetMet(figure: Figure): boolean | null {
  const { value } = judged(figure);
  if (!figure.target || value === undefined) return null;
  if (figure.target.min !== undefined && value < figure.target.min) return false;
  if (figure.target.max !== undefined && value > figure.target.max) return false;
  return true;
}

const number = (n: number): string => (n >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** The results as a Markdown table (printed, and pasted into docs/benchmarks.md). */
export function markdownTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const met = targetMet(f);
    return [
      f.name,
      f.size,
      `${number(f.value)} ${f.unit}`,
      f.baseline ? `${number(f.baseline.value)} ${f.baseline.unit} (${f.baseline.name})` : '',
      f.ratio !== undefined ? `${f.ratio}×` : '',
      targetText(f),
      met === null ? '' : met ? 'met' : 'MISSED',
    ];
  });
  const header = ['measure', 'size', 'value', 'baseline (same run)', 'ratio', 'target', ''];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
