/** Latency summaries: nearest-rank percentiles over every sample (no sampling, no smoothing). */
export interface Pct {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : NaN);

export function summarize(samples: readonly number[]): Pct {
  const s = Float64Array.from(samples).sort();
  const arr = Array.from(s);
  return {
    p50: round(percentile(arr, 50)),
    p95: round(percentile(arr, 95)),
    p99: round(percentile(arr, 99)),
    max: round(arr.length ? arr[arr.length - 1] : NaN),
    n: arr.length,
  };
}

export const ratio = (a: number, b: number): number => round(a / b, 2);

export { round };
