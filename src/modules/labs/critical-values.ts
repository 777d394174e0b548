import { ResultStatus, type LabResult, type LabResultData } from './lab-result.entity';

/** What the rules read of a result: a stored one, or one still in a message (e.g. held for patient review). */
export type ResultReading = Pick<
  LabResult,
  'resultStatus' | 'loincCode' | 'testName' | 'unit' | 'valueNumeric' | 'valueComparator' | 'valueBound' | 'abnormalFlag'
>;

/** A parsed result as the rules read it. */
export function readingOf(data: LabResultData): ResultReading {
  return {
    resultStatus: data.status,
    loincCode: data.loincCode ?? null,
    testName: data.testName,
    unit: data.unit ?? null,
    valueNumeric: data.valueNumeric ?? null,
    valueComparator: data.valueComparator ?? null,
    valueBound: data.valueBound ?? null,
    abnormalFlag: data.abnormalFlag ?? null,
  };
}

/**
 * When a lab result must reach the prescriber now. Version this table: an alert names the rule
 * (id and version) that raised it.
 */
export const criticalRulesVersion = '2026-11-26';

export interface CriticalRule {
  id: string;
  description: string;
  source: string;
  applies: (result: ResultReading) => boolean;
  /** Certainly critical: a bound counts only when every value it allows is critical. */
  critical: (result: ResultReading) => boolean;
}

const named = (pattern: RegExp, loinc: string[]) => (result: ResultReading) =>
  (result.loincCode !== null && loinc.includes(result.loincCode)) || pattern.test(result.testName);

/** A number of the result (its value or its bound) in the rule's unit, or null when it cannot be read in it. */
type InRuleUnit = (result: ResultReading, number: number) => number | null;
const asSent: InRuleUnit = (_result, number) => number;

/**
 * Whether every value the result allows lies beyond the threshold: its value when it has one; for
 * a bound, only one pointing past the threshold (">2" is above 1.5; "<2" says nothing about it).
 */
function certainly(result: ResultReading, direction: 'above' | 'below', threshold: number, inRuleUnit: InRuleUnit = asSent): boolean {
  const beyond = (number: number, strictly: boolean) =>
    direction === 'above' ? (strictly ? number > threshold : number >= threshold) : strictly ? number < threshold : number <= threshold;
  if (result.valueComparator === null) {
    const value = result.valueNumeric === null ? null : inRuleUnit(result, result.valueNumeric);
    return value !== null && beyond(value, true);
  }
  const bound = result.valueBound === null ? null : inRuleUnit(result, result.valueBound);
  const pointsPast = { above: ['>', '>='], below: ['<', '<='] }[direction].includes(result.valueComparator);
  // ">2" holds only values above 2, so it is above 2 itself; ">=2" may be 2.
  return bound !== null && pointsPast && beyond(bound, result.valueComparator.endsWith('='));
}

/** A neutrophil count in cells/µL, from the units labs use (10*3/uL, K/uL, /uL, 10*9/L). */
const perMicrolitre: InRuleUnit = (result, number) => {
  const unit = (result.unit ?? '').toLowerCase().replace(/\s/g, '');
  if (/^(10\*3\/ul|k\/ul|10\^3\/ul|thou\/ul|x10e3\/ul|10\*9\/l|10\^9\/l|x10e9\/l)$/.test(unit)) return number * 1000;
  if (/^(\/ul|cells\/ul|\{cells\}\/ul)$/.test(unit)) return number;
  return null;
};

export const criticalRules: CriticalRule[] = [
  {
    id: 'flag-critical',
    description: 'The lab flagged the result critical (HH, LL or AA)',
    source: 'HL7 v2 table 0078 abnormal flags',
    applies: () => true,
    critical: (result) => ['HH', 'LL', 'AA'].includes((result.abnormalFlag ?? '').toUpperCase()),
  },
  {
    id: 'lithium-above-1.5',
    description: 'Lithium above 1.5 mmol/L (risk of toxicity)',
    source: 'Lithium carbonate prescribing information; NICE CG185 lithium monitoring',
    applies: named(/\blithium\b/i, ['14334-7']),
    critical: (result) => /mmol\/l|meq\/l/i.test(result.unit ?? 'mmol/L') && certainly(result, 'above', 1.5),
  },
  {
    id: 'anc-below-1000',
    description: 'Absolute neutrophil count below 1000/µL (clozapine: interrupt and monitor)',
    source: 'Clozapine prescribing information, ANC monitoring table (general population)',
    applies: named(/\bneutrophils?\b|\banc\b/i, ['751-8', '26499-4']),
    critical: (result) => certainly(result, 'below', 1000, perMicrolitre),
  },
  {
    id: 'valproate-above-125',
    description: 'Valproate above 125 µg/mL (above the therapeutic range; toxicity risk)',
    source: 'Valproate prescribing information, therapeutic range 50–125 µg/mL (mania)',
    applies: named(/valpro/i, ['4086-7']),
    critical: (result) => /(ug|µg|mcg)\/ml|mg\/l/i.test(result.unit ?? 'ug/mL') && certainly(result, 'above', 125),
  },
];

/** The first rule a final or corrected result breaks, if any; preliminary and cancelled results raise nothing. */
export function criticalRuleFor(result: ResultReading): CriticalRule | null {
  if (result.resultStatus !== ResultStatus.FINAL && result.resultStatus !== ResultStatus.CORRECTED) return null;
  return criticalRules.find((rule) => rule.applies(result) && rule.critical(result)) ?? null;
}
