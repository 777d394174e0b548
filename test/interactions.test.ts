import { interactionFlags, type InteractionContext } from '../src/modules/medications/interactions';
import { ingredientOf } from '../src/modules/medications/ingredients';

const context = (names: string[], extra: Partial<InteractionContext> = {}): InteractionContext => ({
  medications: names.map((drugName, index) => ({ id: `m${index}`, drugName })),
  age: 40,
  daysSinceAnc: 5,
  ...extra,
});
const rulesFor = (names: string[], extra: Partial<InteractionContext> = {}) => interactionFlags(context(names, extra)).map((flag) => flag.ruleId);

describe('interaction rules (flags, never blocks)', () => {
  it('recognises ingredients in product names, combinations included', () => {
    expect(ingredientOf('Buprenorphine 8 mg / naloxone 2 mg sublingual film')).toBe('buprenorphine');
    expect(ingredientOf('Depakote (divalproex sodium) 500 mg DR')).toBe('valproate');
    expect(ingredientOf('Valproic acid 250 mg')).toBe('valproate');
    expect(ingredientOf('Lisinopril 10 MG Oral Tablet')).toBe('lisinopril');
    expect(ingredientOf('Vitamin D3')).toBeNull();
  });

  it('warns on an opioid with a benzodiazepine, saying not to withhold buprenorphine or methadone', () => {
    const flags = interactionFlags(context(['Buprenorphine/naloxone 8/2 mg film', 'Clonazepam 0.5 mg']));
    expect(flags).toEqual([expect.objectContaining({ ruleId: 'opioid-benzodiazepine', severity: 'WARNING', medicationIds: ['m0', 'm1'] })]);
    expect(flags[0].message).toMatch(/do not withhold buprenorphine or methadone/);
    expect(flags[0].source).toMatch(/FDA/);
    expect(flags[0].version).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it.each([
    [['Lithium carbonate 300 mg', 'Ibuprofen 400 mg'], 'lithium-nsaid'],
    [['Lithium carbonate 300 mg', 'Lisinopril 10 mg'], 'lithium-ace-inhibitor'],
    [['Lithium carbonate 300 mg', 'Hydrochlorothiazide 25 mg'], 'lithium-thiazide'],
    [['Sertraline 100 mg', 'Tramadol 50 mg'], 'serotonergic-combination'],
    [['Phenelzine 15 mg', 'Sertraline 50 mg'], 'serotonergic-maoi'],
    [['Methadone 80 mg', 'Citalopram 40 mg'], 'qt-prolonging-combination'],
  ])('%j → %s', (names, rule) => {
    expect(rulesFor(names)).toContain(rule);
  });

  it('flags valproate for a patient of an age to become pregnant only', () => {
    expect(rulesFor(['Divalproex 500 mg'], { age: 28 })).toEqual(['valproate-pregnancy-potential']);
    expect(rulesFor(['Divalproex 500 mg'], { age: 67 })).toEqual([]);
  });

  it('flags clozapine without an ANC in the last 30 days', () => {
    expect(rulesFor(['Clozapine 200 mg'], { daysSinceAnc: null })).toEqual(['clozapine-without-recent-anc']);
    expect(rulesFor(['Clozapine 200 mg'], { daysSinceAnc: 45 })).toEqual(['clozapine-without-recent-anc']);
    expect(rulesFor(['Clozapine 200 mg'], { daysSinceAnc: 12 })).toEqual([]);
  });

  it('raises nothing for an unrelated pair', () => {
    expect(rulesFor(['Sertraline 50 mg', 'Metformin 500 mg'])).toEqual([]);
  });
});
