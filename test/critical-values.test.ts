import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { criticalRuleFor } from '../src/modules/labs/critical-values';
import { LabResult, ResultStatus, type LabResultData } from '../src/modules/labs/lab-result.entity';
import { readOru } from '../src/modules/ingest/hl7/oru';
import type { Patient } from '../src/modules/patients/patient.entity';

const provenance = { sourceOrganization: { id: 'lab' }, sourceSystem: 'test' } as unknown as ProvenanceInit;
const result = (data: Partial<LabResultData>) =>
  new LabResult({ id: 'p' } as Patient, provenance, { testName: 'test', status: ResultStatus.FINAL, ...data });

describe('critical lab values', () => {
  it.each([
    ['lithium 1.8 mmol/L', { loincCode: '14334-7', testName: 'Lithium', valueNumeric: 1.8, unit: 'mmol/L' }, 'lithium-above-1.5'],
    ['lithium 1.5 mmol/L (at the limit)', { testName: 'Lithium level', valueNumeric: 1.5, unit: 'mmol/L' }, null],
    ['ANC 0.8 10*3/uL', { loincCode: '751-8', testName: 'Neutrophils', valueNumeric: 0.8, unit: '10*3/uL' }, 'anc-below-1000'],
    ['ANC 950 /uL', { testName: 'Absolute neutrophil count (ANC)', valueNumeric: 950, unit: '/uL' }, 'anc-below-1000'],
    ['ANC 1.2 K/uL', { testName: 'Neutrophils', valueNumeric: 1.2, unit: 'K/uL' }, null],
    ['valproate 140 ug/mL', { loincCode: '4086-7', testName: 'Valproate', valueNumeric: 140, unit: 'ug/mL' }, 'valproate-above-125'],
    ['valproate 90 ug/mL', { testName: 'Valproic acid', valueNumeric: 90, unit: 'ug/mL' }, null],
    ['potassium flagged HH', { testName: 'Potassium', valueNumeric: 6.9, unit: 'mmol/L', abnormalFlag: 'HH' }, 'flag-critical'],
    ['glucose flagged H only', { testName: 'Glucose', valueNumeric: 180, unit: 'mg/dL', abnormalFlag: 'H' }, null],
  ])('%s → %s', (_label, data, rule) => {
    expect(criticalRuleFor(result(data))?.id ?? null).toBe(rule);
  });

  it('raises nothing for preliminary or cancelled results', () => {
    const lithium = { testName: 'Lithium', valueNumeric: 2.4, unit: 'mmol/L', abnormalFlag: 'HH' };
    expect(criticalRuleFor(result({ ...lithium, status: ResultStatus.PRELIMINARY }))).toBeNull();
    expect(criticalRuleFor(result({ ...lithium, status: ResultStatus.CANCELLED }))).toBeNull();
    expect(criticalRuleFor(result({ ...lithium, status: ResultStatus.CORRECTED }))?.id).toBe('flag-critical');
  });

  /** A result as the lab sends it: an SN value in an ORU^R01, read by the parser. */
  const sent = (test: string, value: string, unit: string) => {
    const [{ setId: _setId, ...data }] = readOru(
      [
        'MSH|^~\\&|LABSYS|LAB|CAREBRIDGE|IOP|20261201083000||ORU^R01|MSG-1|P|2.5.1',
        'PID|1||L-1^^^LAB',
        'OBR|1|P1|F1|X^Panel',
        `OBX|1|SN|${test}||${value}|${unit}|||||F`,
      ].join('\r'),
    ).results;
    return result(data);
  };

  it.each([
    ['lithium ">^2.0" (every value it allows is above 1.5)', '14334-7^Lithium^LN', '>^2.0', 'mmol/L', 'lithium-above-1.5'],
    ['lithium ">^1.5" (above 1.5)', '14334-7^Lithium^LN', '>^1.5', 'mmol/L', 'lithium-above-1.5'],
    ['lithium ">=^1.5" (may be 1.5)', '14334-7^Lithium^LN', '>=^1.5', 'mmol/L', null],
    ['lithium "<^1.8" (a bound, maybe 0.9)', '14334-7^Lithium^LN', '<^1.8', 'mmol/L', null],
    ['ANC "<^0.5" K/uL (below 1000/uL whatever it is)', '751-8^Neutrophils^LN', '<^0.5', 'K/uL', 'anc-below-1000'],
    ['ANC ">^0.5" K/uL (maybe 4000/uL)', '751-8^Neutrophils^LN', '>^0.5', 'K/uL', null],
    ['valproate range "^100^-^140" (text, not one value)', '4086-7^Valproate^LN', '^100^-^140', 'ug/mL', null],
  ])('reads a bound as a bound: %s → %s', (_label, test, value, unit, rule) => {
    expect(criticalRuleFor(sent(test, value, unit))?.id ?? null).toBe(rule);
  });
});
