/**
 * Active ingredients the hub recognises in a medication's name, with the drug classes the
 * interaction rules use. Matching by ingredient name works for every source (RxNorm product
 * codes differ per strength and form; not every source sends one).
 */
export type DrugClass =
  | 'OPIOID'
  | 'BENZODIAZEPINE'
  | 'NSAID'
  | 'ACE_INHIBITOR'
  | 'THIAZIDE'
  | 'SEROTONERGIC'
  | 'MAOI'
  | 'QT_PROLONGING'
  | 'LITHIUM'
  | 'VALPROATE'
  | 'CLOZAPINE';

export const ingredientClasses: Record<string, DrugClass[]> = {
  buprenorphine: ['OPIOID'],
  methadone: ['OPIOID', 'QT_PROLONGING'],
  oxycodone: ['OPIOID'],
  hydrocodone: ['OPIOID'],
  morphine: ['OPIOID'],
  hydromorphone: ['OPIOID'],
  fentanyl: ['OPIOID', 'SEROTONERGIC'],
  codeine: ['OPIOID'],
  tramadol: ['OPIOID', 'SEROTONERGIC'],
  naltrexone: [],
  acamprosate: [],
  disulfiram: [],
  alprazolam: ['BENZODIAZEPINE'],
  lorazepam: ['BENZODIAZEPINE'],
  clonazepam: ['BENZODIAZEPINE'],
  diazepam: ['BENZODIAZEPINE'],
  chlordiazepoxide: ['BENZODIAZEPINE'],
  temazepam: ['BENZODIAZEPINE'],
  lithium: ['LITHIUM'],
  ibuprofen: ['NSAID'],
  naproxen: ['NSAID'],
  diclofenac: ['NSAID'],
  meloxicam: ['NSAID'],
  celecoxib: ['NSAID'],
  indomethacin: ['NSAID'],
  ketorolac: ['NSAID'],
  lisinopril: ['ACE_INHIBITOR'],
  enalapril: ['ACE_INHIBITOR'],
  ramipril: ['ACE_INHIBITOR'],
  benazepril: ['ACE_INHIBITOR'],
  captopril: ['ACE_INHIBITOR'],
  hydrochlorothiazide: ['THIAZIDE'],
  chlorthalidone: ['THIAZIDE'],
  indapamide: ['THIAZIDE'],
  sertraline: ['SEROTONERGIC'],
  fluoxetine: ['SEROTONERGIC'],
  paroxetine: ['SEROTONERGIC'],
  citalopram: ['SEROTONERGIC', 'QT_PROLONGING'],
  escitalopram: ['SEROTONERGIC', 'QT_PROLONGING'],
  fluvoxamine: ['SEROTONERGIC'],
  venlafaxine: ['SEROTONERGIC'],
  desvenlafaxine: ['SEROTONERGIC'],
  duloxetine: ['SEROTONERGIC'],
  trazodone: ['SEROTONERGIC', 'QT_PROLONGING'],
  mirtazapine: ['SEROTONERGIC'],
  vilazodone: ['SEROTONERGIC'],
  vortioxetine: ['SEROTONERGIC'],
  linezolid: ['SEROTONERGIC', 'MAOI'],
  phenelzine: ['SEROTONERGIC', 'MAOI'],
  tranylcypromine: ['SEROTONERGIC', 'MAOI'],
  selegiline: ['SEROTONERGIC', 'MAOI'],
  isocarboxazid: ['SEROTONERGIC', 'MAOI'],
  haloperidol: ['QT_PROLONGING'],
  ziprasidone: ['QT_PROLONGING'],
  quetiapine: ['QT_PROLONGING'],
  ondansetron: ['QT_PROLONGING'],
  azithromycin: ['QT_PROLONGING'],
  levofloxacin: ['QT_PROLONGING'],
  'valproic acid': ['VALPROATE'],
  valproate: ['VALPROATE'],
  divalproex: ['VALPROATE'],
  clozapine: ['CLOZAPINE'],
  bupropion: [],
  lamotrigine: [],
  aripiprazole: [],
  olanzapine: [],
  risperidone: [],
  gabapentin: [],
  metformin: [],
};

/** Longest names first, so "valproic acid" wins over a shorter name inside it. */
const names = Object.keys(ingredientClasses).sort((a, b) => b.length - a.length);

/** The ingredient a medication's name names (the first one for combinations), or null. */
export function ingredientOf(drugName: string): string | null {
  const name = drugName.toLowerCase();
  const found = names.find((ingredient) => new RegExp(`\\b${ingredient}\\b`).test(name));
  if (!found) return null;
  return ingredientClasses[found].includes('VALPROATE') ? 'valproate' : found;
}

export function classesOf(ingredient: string | null): DrugClass[] {
  return ingredient ? (ingredientClasses[ingredient] ?? []) : [];
}
