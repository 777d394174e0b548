import { DataCategory } from '../src/modules/consent/data-category';
import { categoriesOf, isMoudOrMaud, isSudDiagnosis } from '../src/modules/consent/labels';

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
    ['Z79.891', false],
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
