import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { criticalRuleFor } from '../src/modules/labs/critical-values';
import { LabResult, ResultStatus, type LabResultData } from '../src/modules/labs/lab-result.entity';
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
});
