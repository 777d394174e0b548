import { registerEnumType } from 'type-graphql';
import type { RecordRow } from '../clinical/record-rows';
import { ResultStatus, type LabResult } from './lab-result.entity';

export enum TrendDirection {
  UP = 'UP',
  DOWN = 'DOWN',
  STABLE = 'STABLE',
  SINGLE = 'SINGLE',
}
registerEnumType(TrendDirection, { name: 'TrendDirection' });

export interface LabTrendData {
  test: string;
  loincCode: string | null;
  unit: string | null;
  latest: RecordRow<LabResult>;
  previous: RecordRow<LabResult> | null;
  direction: TrendDirection;
  /** Every current numeric result of the test, by observation time, oldest first. */
  points: RecordRow<LabResult>[];
}

/** A change under this share of the previous value reads as stable. */
const stableWithin = 0.05;

/**
 * A point of a trend: a current (not superseded, not cancelled) result with one number (a bound
 * such as "<10" is not a value) and the time it was observed. Arrival order says nothing about
 * when a specimen was taken, so a result without an observation time is not placed on the line.
 */
type TrendPoint = RecordRow<LabResult> & { valueNumeric: number; effectiveAt: Date };

function isTrendPoint(result: RecordRow<LabResult>): result is TrendPoint {
  return (
    result.supersededAt === null &&
    result.resultStatus !== ResultStatus.CANCELLED &&
    result.valueNumeric !== null &&
    result.valueComparator === null &&
    result.effectiveAt !== null
  );
}

/** Numeric results grouped per test, in observation-time order, with their direction. */
export function labTrends(results: RecordRow<LabResult>[]): LabTrendData[] {
  const groups = new Map<string, TrendPoint[]>();
  for (const result of results.filter(isTrendPoint)) {
    const key = result.loincCode ?? result.testName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const points = [...group].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
    const latest = points[points.length - 1];
    const previous = points.length > 1 ? points[points.length - 2] : null;
    let direction = TrendDirection.SINGLE;
    if (previous) {
      const change = latest.valueNumeric - previous.valueNumeric;
      const scale = Math.abs(previous.valueNumeric) || 1;
      direction = Math.abs(change) / scale < stableWithin ? TrendDirection.STABLE : change > 0 ? TrendDirection.UP : TrendDirection.DOWN;
    }
    return { test: latest.testName, loincCode: latest.loincCode, unit: latest.unit, latest, previous, direction, points };
  });
}
