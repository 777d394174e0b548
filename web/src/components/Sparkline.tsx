/** A small inline SVG chart of numbers over time (oldest first), with the normal range shaded when known. */
export interface SparklineProps {
  values: readonly number[];
  /** What the chart shows, read by screen readers with the values, e.g. "Lithium, mmol/L". */
  label: string;
  low?: number | null;
  high?: number | null;
  width?: number;
  height?: number;
}

const pad = 3;

export function Sparkline({ values, label, low = null, high = null, width = 120, height = 32 }: SparklineProps) {
  if (values.length === 0) return null;
  const bounds = [...values, ...(low === null ? [] : [low]), ...(high === null ? [] : [high])];
  const min = Math.min(...bounds);
  const max = Math.max(...bounds);
  const span = max - min || 1;
  const x = (index: number) => (values.length === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (values.length - 1));
  const y = (value: number) => height - pad - ((value - min) * (height - 2 * pad)) / span;
  const points = values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
  const last = values.length - 1;
  const bandTop = y(high ?? max);
  const bandBottom = y(low ?? min);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${values.join(', ')}`}>
      {(low !== null || high !== null) && <rect className="sparkline-range" x={0} y={bandTop} width={width} height={Math.max(bandBottom - bandTop, 1)} />}
      <polyline className="sparkline-line" points={points} fill="none" />
      <circle className="sparkline-last" cx={x(last)} cy={y(values[last])} r={2.5} />
    </svg>
  );
}
