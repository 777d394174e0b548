import { registerEnumType } from 'type-graphql';
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
  latest: LabResult;
  previous: LabResult | null;
  direction: TrendDirection;
  /** Every current numeric result of the test, oldest first. */
  points: LabResult[];
}

/** A change under this share of the previous value reads as stable. */
const stableWithin = 0.05;

/** Current (not superseded, not cancelled) numeric results grouped per test, with their direction. */
export function labTrends(results: LabResult[]): LabTrendData[] {
  const groups = new Map<string, LabResult[]>();
  for (const result of results) {
    if (result.supersededAt !== null || result.resultStatus === ResultStatus.CANCELLED || result.valueNumeric === null) continue;
    const key = result.loincCode ?? result.testName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const time = (result: LabResult) => (result.effectiveAt ?? result.receivedAt).getTime();
  return [...groups.values()].map((group) => {
    const points = [...group].sort((a, b) => time(a) - time(b));
    const latest = points[points.length - 1];
    const previous = points.length > 1 ? points[points.length - 2] : null;
    let direction = TrendDirection.SINGLE;
    if (previous) {
      const change = latest.valueNumeric! - previous.valueNumeric!;
      const scale = Math.abs(previous.valueNumeric!) || 1;
      direction = Math.abs(change) / scale < stableWithin ? TrendDirection.STABLE : change > 0 ? TrendDirection.UP : TrendDirection.DOWN;
    }
    return { test: latest.testName, loincCode: latest.loincCode, unit: latest.unit, latest, previous, direction, points };
  });
}
