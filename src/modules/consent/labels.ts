import { DataCategory } from './data-category';
import { sudCodeSystems, sudDiagnosisCodes, sudProcedureCodes, sudServiceCodes } from './sud-codes';

/**
 * The one rule that labels records revealing substance-use-disorder treatment (42 CFR Part 2).
 * Every clinical record's categories come from `categoriesOf`; nothing else adds or removes SUD.
 */
export type LabelFacts =
  | { kind: 'DIAGNOSIS'; icd10Code: string }
  | { kind: 'PRESCRIPTION'; drugName: string; ingredientRxcui?: string | null }
  | { kind: 'ASSESSMENT' }
  | { kind: 'ATTENDANCE'; sudProgram: boolean }
  | { kind: 'CARE_PLAN'; mentionsSud: boolean }
  | { kind: 'SIDE_EFFECT'; onSudMedication: boolean }
  | { kind: 'LAB_RESULT'; drugScreen: boolean }
  | { kind: 'LAB_ORDER'; drugScreen: boolean }
  | { kind: 'ALLERGY' }
  /** A pharmacy's report of a fill, labelled as the prescription it fills. */
  | { kind: 'DISPENSE'; onSudMedication: boolean }
  /** An encounter's type, service and reason codings, as its source sent them. */
  | { kind: 'ENCOUNTER'; codes: CodedConcept[] };

/** One coding of a code system, as FHIR and HL7 v2 carry it. */
export interface CodedConcept {
  system?: string | null;
  code?: string | null;
}

const baseCategory: Record<LabelFacts['kind'], DataCategory> = {
  DIAGNOSIS: DataCategory.DIAGNOSES,
  PRESCRIPTION: DataCategory.MEDICATIONS,
  ASSESSMENT: DataCategory.TREATMENT_SUMMARY,
  ATTENDANCE: DataCategory.TREATMENT_SUMMARY,
  CARE_PLAN: DataCategory.TREATMENT_SUMMARY,
  SIDE_EFFECT: DataCategory.MEDICATIONS,
  LAB_RESULT: DataCategory.LABS,
  LAB_ORDER: DataCategory.LABS,
  // Drug allergies decide what may be prescribed and dispensed: they travel with medications.
  ALLERGY: DataCategory.MEDICATIONS,
  ENCOUNTER: DataCategory.TREATMENT_SUMMARY,
  DISPENSE: DataCategory.MEDICATIONS,
};

/** A code as the lists write it: upper case, with ICD-10's dot, which senders sometimes leave out. */
const normalized = (code: string) => code.trim().toUpperCase().replace('.', '');
const codeSet = (codes: readonly { code: string }[]) => new Set(codes.map((each) => normalized(each.code)));
const sudDiagnoses = codeSet(sudDiagnosisCodes);
const sudServices = codeSet(sudServiceCodes);
const sudProcedures = codeSet(sudProcedureCodes);

/**
 * F10–F19 are the ICD-10-CM "mental and behavioural disorders due to psychoactive substance use".
 * F17 (nicotine dependence) is left out: Part 2's definition of a substance use disorder
 * excludes tobacco and caffeine (42 CFR §2.11). The Z-codes of SUD counselling and rehabilitation
 * are listed in sud-codes.ts.
 */
export function isSudDiagnosis(icd10Code: string): boolean {
  const code = normalized(icd10Code);
  return (/^F1[0-9]/.test(code) && !code.startsWith('F17')) || sudDiagnoses.has(code);
}

/** An encounter coded as SUD treatment: by its service (HCPCS), its type (SNOMED CT) or its reason (ICD-10). */
export function isSudEncounterCode({ system, code }: CodedConcept): boolean {
  if (!system || !code) return false;
  if (sudCodeSystems.hcpcs.includes(system)) return sudServices.has(normalized(code));
  if (sudCodeSystems.snomed.includes(system)) return sudProcedures.has(normalized(code));
  if (sudCodeSystems.icd10.includes(system)) return isSudDiagnosis(code);
  return false;
}

/**
 * A drug test (urine, serum, oral fluid; screen or confirmation) reveals SUD care. Recognised by
 * the substance or metabolite in the test's name, which every source sends, and by LOINC codes of
 * drug-of-abuse panels. Confirmations name metabolites rather than the drug class the screen
 * named (norfentanyl, benzoylecgonine, 6-MAM, EDDP, THC-COOH…): they are as revealing.
 */
const drugTestWords = new RegExp(
  [
    'drug screen', 'drugs? of abuse', 'drugs? identified', 'toxicology', 'tox screen',
    'opiates?', 'opioids?', 'heroin', '6-?mam', '6-?monoacetylmorphine', '6-?acetylmorphine',
    'fentanyl', 'norfentanyl', 'carfentanil', 'buprenorphine', 'norbuprenorphine', 'methadone', 'eddp',
    'oxycodone', 'noroxycodone', 'oxymorphone', 'hydrocodone', 'norhydrocodone', 'hydromorphone', 'tramadol',
    'cocaine', 'benzoylecgonine', 'cocaethylene',
    'amphetamines?', 'methamphetamine', 'mdma', 'mda', 'mdea', 'ecstasy',
    'cannabinoids?', 'cannabis', 'marijuana', 'thc', 'thc-?cooh', 'carboxy-?thc', 'delta-?9',
    'benzodiazepines?', '(?:alpha-?|α-?|a-)?hydroxy-?alprazolam', 'alprazolam', 'nordiazepam', 'oxazepam',
    'temazepam', '7-?aminoclonazepam', 'lorazepam',
    'barbiturates?', 'phencyclidine', 'ethyl ?glucuronide', 'ethyl ?sulfate', 'etg',
  ].join('|'),
  'i',
);
const drugTestName = new RegExp(`(?:^|[^a-z0-9])(?:${drugTestWords.source})(?:$|[^a-z0-9])`, 'i');

/**
 * LOINC codes of drug-of-abuse tests, screen and confirmation, whose name may not say the
 * substance (e.g. "Drugs identified in Urine by Confirmatory method").
 */
const drugTestLoincCodes = new Set([
  '40464-0', // drugs identified in urine by confirmatory method
  '3349-8', '19261-7', '16369-1', // amphetamines: presence, screen, confirm
  '3393-6', '14314-9', '14315-6', // benzoylecgonine: presence, screen, confirm
  '3427-2', '18282-4', '19289-8', // cannabinoids: presence, screen, confirm
]);

export function isDrugScreen(testName: string, loincCode?: string | null): boolean {
  return (loincCode !== null && loincCode !== undefined && drugTestLoincCodes.has(loincCode.trim())) || drugTestName.test(testName);
}

/** Medications for opioid or alcohol use disorder, by RxNorm ingredient (RxCUI) and name. */
export const moudIngredients: Record<string, string> = {
  '1819': 'buprenorphine',
  '6813': 'methadone',
  '7243': 'naltrexone',
  '82819': 'acamprosate',
  '3554': 'disulfiram',
};

/** Brand names under which those medications are written (US). */
const moudBrands = [
  'suboxone', 'subutex', 'zubsolv', 'bunavail', 'sublocade', 'brixadi', 'probuphine', 'methadose', 'dolophine', 'diskets',
  'vivitrol', 'revia', 'depade', 'campral', 'antabuse', 'lofexidine', 'lucemyra',
];

export function isMoudOrMaud(drugName: string, ingredientRxcui?: string | null): boolean {
  if (ingredientRxcui && ingredientRxcui in moudIngredients) return true;
  const name = drugName.toLowerCase();
  return [...Object.values(moudIngredients), ...moudBrands].some((word) => name.includes(word));
}

function revealsSud(facts: LabelFacts): boolean {
  switch (facts.kind) {
    case 'DIAGNOSIS':
      return isSudDiagnosis(facts.icd10Code);
    case 'PRESCRIPTION':
      return isMoudOrMaud(facts.drugName, facts.ingredientRxcui);
    case 'ATTENDANCE':
      return facts.sudProgram;
    case 'ENCOUNTER':
      return facts.codes.some(isSudEncounterCode);
    case 'CARE_PLAN':
      return facts.mentionsSud;
    case 'SIDE_EFFECT':
    case 'DISPENSE':
      return facts.onSudMedication;
    case 'LAB_RESULT':
    case 'LAB_ORDER':
      return facts.drugScreen;
    case 'ASSESSMENT':
    case 'ALLERGY':
      return false;
  }
}

export function categoriesOf(facts: LabelFacts): DataCategory[] {
  return revealsSud(facts) ? [baseCategory[facts.kind], DataCategory.SUD] : [baseCategory[facts.kind]];
}
