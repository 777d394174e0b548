import { classesOf, ingredientOf, type DrugClass } from './ingredients';

/** Bump when a rule is added or changed: every flag names the version that raised it. */
export const interactionRulesVersion = '2026-11-26.1';

export type FlagSeverity = 'WARNING' | 'CAUTION';

export interface MedicationFacts {
  id: string;
  drugName: string;
}

export interface InteractionContext {
  medications: MedicationFacts[];
  /** Age in whole years, from the birth date. */
  age: number | null;
  /**
   * Days since the most recent absolute neutrophil count; null when there is none; undefined when
   * the user may not see lab results (rules that need them are then not evaluated).
   */
  daysSinceAnc?: number | null;
}

export interface InteractionFlagData {
  ruleId: string;
  version: string;
  severity: FlagSeverity;
  message: string;
  source: string;
  medicationIds: string[];
}

interface Rule {
  id: string;
  severity: FlagSeverity;
  message: string;
  source: string;
  /** The medications that trigger it, or null when it does not apply. */
  match: (context: InteractionContext, byClass: (drugClass: DrugClass) => MedicationFacts[]) => MedicationFacts[] | null;
}

const pair = (a: DrugClass, b: DrugClass) => (_context: InteractionContext, byClass: (drugClass: DrugClass) => MedicationFacts[]) => {
  const first = byClass(a);
  const second = byClass(b).filter((medication) => !first.includes(medication));
  return first.length > 0 && second.length > 0 ? [...first, ...second] : null;
};

/** Flags inform; none blocks a prescription. */
const rules: Rule[] = [
  {
    id: 'opioid-benzodiazepine',
    severity: 'WARNING',
    message:
      'Opioid with a benzodiazepine: risk of respiratory depression. Monitor and taper where possible; do not withhold buprenorphine or methadone for opioid use disorder because of it.',
    source: 'FDA Drug Safety Communication, 20 Sep 2017 (opioid addiction medications and benzodiazepines/CNS depressants)',
    match: pair('OPIOID', 'BENZODIAZEPINE'),
  },
  {
    id: 'lithium-nsaid',
    severity: 'WARNING',
    message: 'Lithium with an NSAID: lithium levels can rise; check levels and kidney function.',
    source: 'Lithium carbonate prescribing information, drug interactions',
    match: pair('LITHIUM', 'NSAID'),
  },
  {
    id: 'lithium-ace-inhibitor',
    severity: 'WARNING',
    message: 'Lithium with an ACE inhibitor: lithium levels can rise; check levels.',
    source: 'Lithium carbonate prescribing information, drug interactions',
    match: pair('LITHIUM', 'ACE_INHIBITOR'),
  },
  {
    id: 'lithium-thiazide',
    severity: 'WARNING',
    message: 'Lithium with a thiazide diuretic: lithium clearance falls; check levels.',
    source: 'Lithium carbonate prescribing information, drug interactions',
    match: pair('LITHIUM', 'THIAZIDE'),
  },
  {
    id: 'serotonergic-maoi',
    severity: 'WARNING',
    message: 'An MAOI with another serotonergic drug: risk of serotonin syndrome.',
    source: 'FDA labeling of MAOIs and SSRIs/SNRIs (contraindicated combinations)',
    match: pair('MAOI', 'SEROTONERGIC'),
  },
  {
    id: 'serotonergic-combination',
    severity: 'CAUTION',
    message: 'Two or more serotonergic drugs: watch for serotonin syndrome.',
    source: 'FDA Drug Safety Communication, 22 Mar 2016 (opioids and serotonin syndrome); SSRI/SNRI labeling',
    match: (_context, byClass) => {
      const serotonergic = byClass('SEROTONERGIC');
      // With an MAOI among them, serotonergic-maoi says it more strongly.
      return serotonergic.length >= 2 && byClass('MAOI').length === 0 ? serotonergic : null;
    },
  },
  {
    id: 'qt-prolonging-combination',
    severity: 'CAUTION',
    message: 'Two or more QT-prolonging drugs: consider an ECG and electrolytes.',
    source: 'CredibleMeds QTdrugs list (known/possible risk); methadone and citalopram labeling',
    match: (_context, byClass) => {
      const qt = byClass('QT_PROLONGING');
      return qt.length >= 2 ? qt : null;
    },
  },
  {
    id: 'valproate-pregnancy-potential',
    severity: 'WARNING',
    message: 'Valproate in a patient of an age to become pregnant: major teratogenic risk; confirm a pregnancy prevention plan if the patient can become pregnant.',
    source: 'FDA boxed warning for valproate (fetal risk); MHRA 2018 valproate pregnancy prevention programme',
    match: (context, byClass) => {
      const valproate = byClass('VALPROATE');
      return valproate.length > 0 && context.age !== null && context.age >= 12 && context.age <= 55 ? valproate : null;
    },
  },
  {
    id: 'clozapine-without-recent-anc',
    severity: 'WARNING',
    message: 'Clozapine without an absolute neutrophil count in the last 30 days.',
    source: 'Clozapine prescribing information, ANC monitoring (at least monthly after the first year)',
    match: (context, byClass) => {
      const clozapine = byClass('CLOZAPINE');
      if (context.daysSinceAnc === undefined) return null;
      return clozapine.length > 0 && (context.daysSinceAnc === null || context.daysSinceAnc > 30) ? clozapine : null;
    },
  },
];

/** Every rule the patient's current medications break. */
export function interactionFlags(context: InteractionContext): InteractionFlagData[] {
  const classified = context.medications.map((medication) => ({ medication, classes: classesOf(ingredientOf(medication.drugName)) }));
  const byClass = (drugClass: DrugClass) => classified.filter((each) => each.classes.includes(drugClass)).map((each) => each.medication);
  return rules.flatMap((rule) => {
    const involved = rule.match(context, byClass);
    return involved
      ? [{ ruleId: rule.id, version: interactionRulesVersion, severity: rule.severity, message: rule.message, source: rule.source, medicationIds: [...new Set(involved.map((each) => each.id))] }]
      : [];
  });
}
