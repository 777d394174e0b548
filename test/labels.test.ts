import { DataCategory } from '../src/modules/consent/data-category';
import { categoriesOf, isDrugScreen, isMoudOrMaud, isSudDiagnosis, isSudEncounterCode } from '../src/modules/consent/labels';
import { sudCodeSystems, sudDiagnosisCodes, sudProcedureCodes, sudServiceCodes } from '../src/modules/consent/sud-codes';

describe('the SUD labelling rule (42 CFR Part 2)', () => {
  it.each([
    ['F10.20', true], // alcohol dependence
    ['F11.20', true], // opioid dependence
    ['f15.10', true], // stimulant abuse, lower case
    ['F19.99', true],
    ['F17.210', false], // nicotine: not a Part 2 substance use disorder (§2.11)
    ['F33.1', false], // major depressive disorder
    ['F41.1', false],
    ['F20.9', false],
    ['Z79.891', false], // long-term (current) use of opiate analgesic: pain care, not SUD
    ['Z71.3', false], // dietary counseling and surveillance
    ['Z71.89', false], // other specified counseling
    ['z7141', true], // Z71.41 without its dot, lower case
    ['Z50.1', false], // WHO ICD-10 other physical therapy
    ...sudDiagnosisCodes.map(({ code }): [string, boolean] => [code, true]),
  ])('diagnosis %s → SUD %s', (code, sud) => {
    expect(isSudDiagnosis(code)).toBe(sud);
    expect(categoriesOf({ kind: 'DIAGNOSIS', icd10Code: code })).toEqual(sud ? [DataCategory.DIAGNOSES, DataCategory.SUD] : [DataCategory.DIAGNOSES]);
  });

  it.each([
    ['Buprenorphine 8 mg / naloxone 2 mg sublingual film', null, true],
    ['Methadone HCl 10 mg/mL oral concentrate', null, true],
    ['Vivitrol (naltrexone ER) 380 mg', null, true],
    ['Sublocade', '1819', true],
    ['Suboxone 8 mg-2 mg sublingual film', null, true],
    ['Vivitrol 380 mg injection', null, true],
    ['Antabuse 250 mg', null, true],
    ['Acamprosate 333 mg', null, true],
    ['Sertraline 50 mg', null, false],
    ['Lithium carbonate 300 mg', '6448', false],
  ])('medication %s → MOUD/MAUD %s', (name, rxcui, moud) => {
    expect(isMoudOrMaud(name, rxcui)).toBe(moud);
    expect(categoriesOf({ kind: 'PRESCRIPTION', drugName: name, ingredientRxcui: rxcui }).includes(DataCategory.SUD)).toBe(moud);
  });

  it('labels SUD programming, plans and side effects that reveal SUD treatment, and nothing else', () => {
    expect(categoriesOf({ kind: 'ATTENDANCE', sudProgram: true })).toEqual([DataCategory.TREATMENT_SUMMARY, DataCategory.SUD]);
    expect(categoriesOf({ kind: 'ATTENDANCE', sudProgram: false })).toEqual([DataCategory.TREATMENT_SUMMARY]);
    expect(categoriesOf({ kind: 'CARE_PLAN', mentionsSud: true })).toContain(DataCategory.SUD);
    expect(categoriesOf({ kind: 'SIDE_EFFECT', onSudMedication: true })).toEqual([DataCategory.MEDICATIONS, DataCategory.SUD]);
    expect(categoriesOf({ kind: 'LAB_RESULT', drugScreen: true })).toEqual([DataCategory.LABS, DataCategory.SUD]);
    expect(categoriesOf({ kind: 'ASSESSMENT' })).toEqual([DataCategory.TREATMENT_SUMMARY]);
  });
});

describe('encounters coded as SUD treatment', () => {
  const [hcpcs] = sudCodeSystems.hcpcs;
  const [snomed] = sudCodeSystems.snomed;
  const [icd10cm] = sudCodeSystems.icd10;

  it.each<[string, string]>([
    ...sudServiceCodes.map(({ code }): [string, string] => [hcpcs, code]),
    ...sudProcedureCodes.map(({ code }): [string, string] => [snomed, code]),
    [icd10cm, 'F11.20'], // the reason for the visit: opioid dependence
    [icd10cm, 'Z71.51'],
    [sudCodeSystems.hcpcs[1], 'H0015'], // HCPCS under its http URI
  ])('%s %s is SUD', (system, code) => {
    expect(isSudEncounterCode({ system, code })).toBe(true);
    expect(categoriesOf({ kind: 'ENCOUNTER', codes: [{ system: 'http://snomed.info/sct', code: '185349003' }, { system, code }] })).toEqual([
      DataCategory.TREATMENT_SUMMARY,
      DataCategory.SUD,
    ]);
  });

  it.each<[string | undefined, string]>([
    [hcpcs, 'H0002'], // behavioural health screening for admission: not SUD-specific
    [hcpcs, 'H0004'], // behavioural health counseling and therapy
    [hcpcs, 'H0017'], // behavioural health residential
    [hcpcs, 'H0033'], // oral medication administration, direct observation
    [hcpcs, 'H0035'], // mental health partial hospitalization
    [hcpcs, 'G0444'], // annual depression screening
    [snomed, '185349003'], // encounter for check up
    [icd10cm, 'Z79.891'],
    [icd10cm, 'F33.1'],
    ['http://www.ama-assn.org/go/cpt', 'H0015'], // an SUD code under another system is not that code
    [undefined, 'H0015'],
  ])('%s %s is not', (system, code) => {
    expect(isSudEncounterCode({ system, code })).toBe(false);
    expect(categoriesOf({ kind: 'ENCOUNTER', codes: [{ system, code }] })).toEqual([DataCategory.TREATMENT_SUMMARY]);
  });
});

describe('drug tests reveal SUD care, screens and confirmations alike', () => {
  it.each([
    ['Drug screen, urine', null],
    ['Norfentanyl, urine, LC-MS/MS', null],
    ['alpha-Hydroxyalprazolam [Mass/volume] in Urine by Confirmatory method', null],
    ['α-Hydroxyalprazolam', null],
    ['Benzoylecgonine [Presence] in Urine by Confirmatory method', null],
    ['6-MAM (6-monoacetylmorphine), urine', null],
    ['6-Acetylmorphine [Mass/volume] in Urine', null],
    ['EDDP [Mass/volume] in Urine', null],
    ['Buprenorphine and Norbuprenorphine, urine', null],
    ['THC-COOH [Mass/volume] in Urine by Confirmatory method', null],
    ['Carboxy-THC, urine', null],
    ['Ethyl glucuronide', null],
    ['Drugs identified in Urine by Confirmatory method', '40464-0'],
    ['Panel result', '19289-8'], // cannabinoids confirm: the name says nothing, the LOINC code does
  ])('%s (LOINC %s) is SUD', (testName, loincCode) => {
    expect(isDrugScreen(testName, loincCode)).toBe(true);
  });

  it.each([
    ['Lithium [Moles/volume] in Serum or Plasma', '14334-7'],
    ['Creatinine [Mass/volume] in Urine', '2161-8'],
    ['Platelets [#/volume] in Blood', '777-3'],
    ['Methemoglobin', null],
    ['Hemoglobin A1c', '4548-4'],
  ])('%s (LOINC %s) is not', (testName, loincCode) => {
    expect(isDrugScreen(testName, loincCode)).toBe(false);
  });
});
