import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { LabResult, ResultStatus, type LabResultData } from '../src/modules/labs/lab-result.entity';
import { labTrends } from '../src/modules/labs/lab-trends';
import type { Patient } from '../src/modules/patients/patient.entity';

const provenance = { sourceOrganization: { id: 'lab' }, sourceSystem: 'test' } as unknown as ProvenanceInit;
const result = (day: number, value: number | null, extra: Partial<LabResultData> = {}) =>
  new LabResult({ id: 'p' } as Patient, provenance, {
    loincCode: '14334-7',
    testName: 'Lithium',
    unit: 'mmol/L',
    valueNumeric: value,
    status: ResultStatus.FINAL,
    effectiveAt: new Date(Date.UTC(2026, 10, day)),
    ...extra,
  });

it('groups current numeric results per test, oldest first, with the latest direction', () => {
  const superseded = result(5, 2.0);
  superseded.supersede(result(5, 0.7));
  const trends = labTrends([
    result(3, 0.6),
    superseded,
    result(10, 0.9),
    result(8, 0.8),
    result(12, null, { valueText: 'hemolysed' }),
    result(13, 5, { status: ResultStatus.CANCELLED }),
    result(1, 7.0, { loincCode: '4548-4', testName: 'HbA1c', unit: '%' }),
  ]);
  const lithium = trends.find((trend) => trend.loincCode === '14334-7')!;
  expect(lithium.points.map((point) => point.valueNumeric)).toEqual([0.6, 0.8, 0.9]);
  expect(lithium).toMatchObject({ direction: 'UP', latest: { valueNumeric: 0.9 }, previous: { valueNumeric: 0.8 }, unit: 'mmol/L' });
  expect(trends.find((trend) => trend.test === 'HbA1c')).toMatchObject({ direction: 'SINGLE', previous: null });
});

it('reads a change under 5% as stable, and a fall as down', () => {
  expect(labTrends([result(1, 1.0), result(2, 1.03)])[0].direction).toBe('STABLE');
  expect(labTrends([result(1, 1.0), result(2, 0.7)])[0].direction).toBe('DOWN');
});

it('places points by observation time, leaving out bounds and results without an observation time', () => {
  const arrivedFirst = result(2, 1.6);
  const arrivedLater = result(1, 1.8);
  const [lithium] = labTrends([
    arrivedFirst,
    arrivedLater,
    result(3, null, { valueText: '<0.2', valueComparator: '<', valueBound: 0.2 }),
    result(4, 9, { valueComparator: '>' }),
    result(5, 3.0, { effectiveAt: null }),
  ]);
  expect(lithium.points.map((point) => [point.valueNumeric, point.effectiveAt?.getUTCDate()])).toEqual([
    [1.8, 1],
    [1.6, 2],
  ]);
  expect(lithium.direction).toBe('DOWN');
});
