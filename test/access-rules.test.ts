import { Role } from '../src/auth/roles';
import { ConsentRequiredError, ForbiddenError } from '../src/errors';
import {
  type AccessBasis,
  type ConsentFact,
  decide,
  type GrantFacts,
  judgeRecords,
  mayActOnCare,
  maySeeConsents,
  noGrant,
  notCovered,
  type Reader,
  type RecordFacts,
  refusal,
  showsIdentifierFrom,
  showsProgramRecord,
  type SourceFact,
} from '../src/modules/access/rules';
import { DataCategory as C, Purpose } from '../src/modules/consent/data-category';
import { OrganizationKind } from '../src/modules/organizations/organization.entity';

/** The access rules as a table: plain facts in, a decision out; no database. */

const programA: SourceFact = { id: 'program-a', kind: OrganizationKind.IOP };
const programB: SourceFact = { id: 'program-b', kind: OrganizationKind.IOP };
const localProvider: SourceFact = { id: 'local-provider', kind: OrganizationKind.LOCAL_PROVIDER };
const lab: SourceFact = { id: 'lab', kind: OrganizationKind.LAB };
const practice: SourceFact = { id: 'practice', kind: OrganizationKind.PRIMARY_CARE };
const pharmacy: SourceFact = { id: 'pharmacy', kind: OrganizationKind.PHARMACY };
const unknownSource: SourceFact = { id: 'unknown', kind: null };

const clinicianOfA: Reader = { userId: 'clinician', role: Role.IOP_CLINICIAN, organizationId: programA.id, patientId: null };
const adminOfA: Reader = { ...clinicianOfA, userId: 'admin', role: Role.ADMIN };
const pcp: Reader = { userId: 'pcp', role: Role.PCP, organizationId: practice.id, patientId: null };
const labUser: Reader = { userId: 'lab-user', role: Role.LAB, organizationId: lab.id, patientId: null };
const patient: Reader = { userId: 'patient-user', role: Role.PATIENT, organizationId: null, patientId: 'patient' };

const careTeam: GrantFacts = { ...noGrant, basis: 'CARE_TEAM' };
const careTeamInEmergency: GrantFacts = { ...careTeam, breakGlassId: 'glass' };
const emergency: GrantFacts = { ...noGrant, basis: 'EMERGENCY', breakGlassId: 'glass' };
const self: GrantFacts = { ...noGrant, basis: 'SELF' };

const consent = (id: string, program: SourceFact, categories: C[], purpose = Purpose.TREATMENT): ConsentFact => ({ id, programId: program.id, purpose, categories });
const underConsents = (...consents: ConsentFact[]): GrantFacts => ({ ...noGrant, basis: 'CONSENT', consents });
const record = (id: string, source: SourceFact, ...categories: C[]): RecordFacts => ({ id, categories, source });

const all = Object.values(C);
const allButNotes = all.filter((category) => category !== C.PSYCHOTHERAPY_NOTES);

describe('which categories of a patient a reader may see', () => {
  it.each<[string, GrantFacts, C[], Purpose, C[], string | null]>([
    ['the care team sees every category', careTeam, all, Purpose.TREATMENT, all, null],
    ['the patient sees every category of their own record', self, all, Purpose.PATIENT_REQUEST, all, null],
    ["the program's admin sees every category", { ...noGrant, basis: 'ADMIN' }, all, Purpose.TREATMENT, all, null],
    ['no basis, nothing', noGrant, all, Purpose.TREATMENT, [], null],
    ['an emergency opens all but psychotherapy notes', emergency, all, Purpose.TREATMENT, allButNotes, null],
    ['a partner sees each category its consent lists', underConsents(consent('c1', programA, [C.DEMOGRAPHICS, C.LABS])), all, Purpose.TREATMENT, [C.DEMOGRAPHICS, C.LABS], 'c1'],
    ['a partner sees SUD only where listed', underConsents(consent('c1', programA, [C.LABS])), [C.LABS, C.SUD], Purpose.TREATMENT, [C.LABS], 'c1'],
    ['a partner sees SUD when listed', underConsents(consent('c1', programA, [C.LABS, C.SUD])), [C.LABS, C.SUD], Purpose.TREATMENT, [C.LABS, C.SUD], 'c1'],
    ['a partner never sees psychotherapy notes, listed or not', underConsents(consent('c1', programA, all)), all, Purpose.TREATMENT, allButNotes, 'c1'],
    ['a consent for another purpose does not count', underConsents(consent('c1', programA, all, Purpose.PAYMENT)), [C.LABS], Purpose.TREATMENT, [], null],
    ['the consent relied on lists most of what is read', underConsents(consent('c1', programA, [C.LABS]), consent('c2', programB, [C.LABS, C.SUD])), [C.LABS, C.SUD], Purpose.TREATMENT, [C.LABS, C.SUD], 'c2'],
  ])('%s', (_rule, grant, categories, purpose, allowed, consentId) => {
    const decision = decide(grant, 'patient', categories, purpose);
    expect(decision.allowed).toEqual(allowed);
    expect(decision.denied).toEqual(categories.filter((category) => !allowed.includes(category)));
    expect(decision.consentId).toBe(consentId);
    expect(decision.purpose).toBe(purpose);
  });

  it('carries the emergency access a decision relies on', () => {
    expect(decide(emergency, 'patient', [C.LABS], Purpose.TREATMENT).breakGlassId).toBe('glass');
  });
});

interface RecordsRow {
  rule: string;
  reader: Reader;
  grant: GrantFacts;
  category: C;
  records: RecordFacts[];
  purpose?: Purpose;
  /** Record ids shown, by the consent they are disclosed under ('none' when none is needed). */
  disclosed?: Record<string, string[]>;
  own?: string[];
  withheld?: { id: string; categories: C[]; reason?: string }[];
  closed?: boolean;
}

const sudFrom = (source: SourceFact, id = `sud-${source.id}`) => record(id, source, C.DIAGNOSES, C.SUD);

describe("which of a patient's records a reader is shown, and under which consent", () => {
  const rows: RecordsRow[] = [
    { rule: "the care team sees its own program's Part 2 records", reader: clinicianOfA, grant: careTeam, category: C.DIAGNOSES, records: [sudFrom(programA)], disclosed: { none: ['sud-program-a'] } },
    {
      rule: "another program's Part 2 records are hidden from staff, reported under the record's kind only",
      reader: clinicianOfA,
      grant: careTeam,
      category: C.DIAGNOSES,
      records: [sudFrom(programB)],
      withheld: [{ id: 'sud-program-b', categories: [C.DIAGNOSES] }],
    },
    { rule: "a local provider's SUD records are Part 2 records too", reader: clinicianOfA, grant: careTeam, category: C.DIAGNOSES, records: [sudFrom(localProvider)], withheld: [{ id: 'sud-local-provider', categories: [C.DIAGNOSES] }] },
    { rule: 'a source of unknown kind counts as a program', reader: clinicianOfA, grant: careTeam, category: C.DIAGNOSES, records: [sudFrom(unknownSource)], withheld: [{ id: 'sud-unknown', categories: [C.DIAGNOSES] }] },
    { rule: 'admins do not see other programs’ Part 2 records either', reader: adminOfA, grant: { ...noGrant, basis: 'ADMIN' }, category: C.DIAGNOSES, records: [sudFrom(programB)], withheld: [{ id: 'sud-program-b', categories: [C.DIAGNOSES] }] },
    {
      rule: "another program's records without SUD are shown to every treating program",
      reader: clinicianOfA,
      grant: careTeam,
      category: C.MEDICATIONS,
      records: [record('meds-b', programB, C.MEDICATIONS)],
      disclosed: { none: ['meds-b'] },
    },
    {
      rule: 'what labs, practices and pharmacies send is shown to every treating program, SUD included',
      reader: clinicianOfA,
      grant: careTeam,
      category: C.DIAGNOSES,
      records: [sudFrom(lab), sudFrom(practice), sudFrom(pharmacy)],
      disclosed: { none: ['sud-lab', 'sud-practice', 'sud-pharmacy'] },
    },
    { rule: "break-glass opens another program's Part 2 records to the care team", reader: clinicianOfA, grant: careTeamInEmergency, category: C.DIAGNOSES, records: [sudFrom(programB)], disclosed: { none: ['sud-program-b'] } },
    {
      rule: "another program's consent naming the staff's program and listing all the labels opens its Part 2 records, disclosed under it",
      reader: clinicianOfA,
      grant: { ...careTeam, consents: [consent('b-to-a', programB, [C.DIAGNOSES, C.SUD])] },
      category: C.DIAGNOSES,
      records: [sudFrom(programB)],
      disclosed: { 'b-to-a': ['sud-program-b'] },
    },
    {
      rule: "a program's consent opens only that program's Part 2 records, and only with every label listed",
      reader: clinicianOfA,
      grant: { ...careTeam, consents: [consent('b-to-a', programB, [C.DIAGNOSES, C.SUD]), consent('c-to-a', { id: 'program-c', kind: OrganizationKind.IOP }, [C.DIAGNOSES])] },
      category: C.DIAGNOSES,
      records: [sudFrom(localProvider), sudFrom({ id: 'program-c', kind: OrganizationKind.IOP })],
      withheld: [
        { id: 'sud-local-provider', categories: [C.DIAGNOSES] },
        { id: 'sud-program-c', categories: [C.DIAGNOSES] },
      ],
    },
    {
      rule: 'a program consent for another purpose opens nothing',
      reader: clinicianOfA,
      grant: { ...careTeam, consents: [consent('b-to-a', programB, [C.DIAGNOSES, C.SUD], Purpose.PAYMENT)] },
      category: C.DIAGNOSES,
      records: [sudFrom(programB)],
      withheld: [{ id: 'sud-program-b', categories: [C.DIAGNOSES] }],
    },
    { rule: "an emergency opens another program's Part 2 records", reader: clinicianOfA, grant: emergency, category: C.DIAGNOSES, records: [sudFrom(programB)], disclosed: { none: ['sud-program-b'] } },
    {
      rule: 'an emergency leaves records labelled psychotherapy notes out',
      reader: clinicianOfA,
      grant: emergency,
      category: C.TREATMENT_SUMMARY,
      records: [record('notes', programA, C.TREATMENT_SUMMARY, C.PSYCHOTHERAPY_NOTES)],
      withheld: [{ id: 'notes', categories: [C.PSYCHOTHERAPY_NOTES], reason: notCovered }],
    },
    { rule: 'an emergency does not open psychotherapy notes as a kind', reader: clinicianOfA, grant: emergency, category: C.PSYCHOTHERAPY_NOTES, records: [record('notes', programA, C.PSYCHOTHERAPY_NOTES)], closed: true },
    { rule: 'the patient sees all of their own record', reader: patient, grant: self, category: C.DIAGNOSES, records: [sudFrom(programA), sudFrom(programB)], disclosed: { none: ['sud-program-a', 'sud-program-b'] } },
    { rule: 'no basis: the category is closed', reader: clinicianOfA, grant: noGrant, category: C.LABS, records: [record('lab', lab, C.LABS)], closed: true },
    {
      rule: "a partner sees a program's record under that program's consent",
      reader: pcp,
      grant: underConsents(consent('from-a', programA, [C.DIAGNOSES])),
      category: C.DIAGNOSES,
      records: [record('dx-a', programA, C.DIAGNOSES)],
      disclosed: { 'from-a': ['dx-a'] },
    },
    {
      rule: "a partner does not see a program's record under another program's consent; the notice names no SUD",
      reader: pcp,
      grant: underConsents(consent('from-b', programB, [C.DIAGNOSES, C.SUD])),
      category: C.DIAGNOSES,
      records: [sudFrom(programA)],
      withheld: [{ id: 'sud-program-a', categories: [C.DIAGNOSES], reason: notCovered }],
    },
    {
      rule: 'a partner sees what labs send under any consent in force',
      reader: pcp,
      grant: underConsents(consent('from-b', programB, [C.LABS])),
      category: C.LABS,
      records: [record('lab-result', lab, C.LABS)],
      disclosed: { 'from-b': ['lab-result'] },
    },
    {
      rule: 'each record goes under the consent that covers it',
      reader: pcp,
      grant: underConsents(consent('from-a', programA, [C.DIAGNOSES]), consent('from-b', programB, [C.DIAGNOSES])),
      category: C.DIAGNOSES,
      records: [record('dx-a', programA, C.DIAGNOSES), record('dx-b', programB, C.DIAGNOSES)],
      disclosed: { 'from-a': ['dx-a'], 'from-b': ['dx-b'] },
    },
    {
      rule: 'a partner sees SUD-labelled records only where SUD is listed',
      reader: pcp,
      grant: underConsents(consent('from-a', programA, [C.DIAGNOSES])),
      category: C.DIAGNOSES,
      records: [sudFrom(programA), record('dx-a', programA, C.DIAGNOSES)],
      disclosed: { 'from-a': ['dx-a'] },
      withheld: [{ id: 'sud-program-a', categories: [C.SUD], reason: notCovered }],
    },
    {
      rule: 'one consent must cover all labels of a record: two are never combined',
      reader: pcp,
      grant: underConsents(consent('labs', programA, [C.DIAGNOSES]), consent('sud', programA, [C.SUD])),
      category: C.DIAGNOSES,
      records: [sudFrom(programA)],
      withheld: [{ id: 'sud-program-a', categories: [C.SUD], reason: notCovered }],
    },
    {
      rule: 'a partner never sees psychotherapy notes, even listed',
      reader: pcp,
      grant: underConsents(consent('from-a', programA, all)),
      category: C.PSYCHOTHERAPY_NOTES,
      records: [record('notes', programA, C.PSYCHOTHERAPY_NOTES)],
      closed: true,
    },
    {
      rule: 'a partner sees its own records without a consent listing their category, unrecorded',
      reader: labUser,
      grant: underConsents(consent('from-a', programA, [C.DEMOGRAPHICS])),
      category: C.LABS,
      records: [record('own', lab, C.LABS, C.SUD), record('others', practice, C.LABS)],
      own: ['own'],
      closed: true,
    },
    {
      rule: 'a partner sees its own records unrecorded when the category is open too',
      reader: labUser,
      grant: underConsents(consent('from-a', programA, [C.LABS])),
      category: C.LABS,
      records: [record('own', lab, C.LABS, C.SUD), record('others', practice, C.LABS)],
      own: ['own'],
      disclosed: { 'from-a': ['others'] },
    },
    { rule: 'a partner without a consent sees not even its own records', reader: labUser, grant: noGrant, category: C.LABS, records: [record('own', lab, C.LABS)], closed: true },
    {
      rule: 'a consent for another purpose closes the category',
      reader: pcp,
      grant: underConsents(consent('from-a', programA, [C.DIAGNOSES], Purpose.PAYMENT)),
      category: C.DIAGNOSES,
      records: [record('dx-a', programA, C.DIAGNOSES)],
      closed: true,
    },
    {
      rule: 'the purpose read for picks the consents',
      reader: pcp,
      purpose: Purpose.PAYMENT,
      grant: underConsents(consent('treatment', programA, [C.DIAGNOSES]), consent('payment', programA, [C.DIAGNOSES], Purpose.PAYMENT)),
      category: C.DIAGNOSES,
      records: [record('dx-a', programA, C.DIAGNOSES)],
      disclosed: { payment: ['dx-a'] },
    },
  ];

  it.each(rows.map((row): [string, RecordsRow] => [row.rule, row]))('%s', (_rule, row) => {
    const judgement = judgeRecords(row.reader, row.grant, 'patient', row.purpose ?? Purpose.TREATMENT, row.category, row.records);
    const ids = (records: RecordFacts[]) => records.map(({ id }) => id);
    expect(judgement.closed).toBe(row.closed ?? false);
    expect(ids(judgement.own)).toEqual(row.own ?? []);
    expect(Object.fromEntries([...judgement.disclosed].map(([consentId, records]) => [consentId ?? 'none', ids(records)]))).toEqual(row.disclosed ?? {});
    expect(judgement.withheld.map(({ record: { id }, categories, reason }) => ({ id, categories, reason }))).toEqual(
      (row.withheld ?? []).map((expected) => ({ reason: expect.any(String) as string, ...expected })),
    );
  });

  it('tells staff some records need consent without naming SUD, Part 2 or another program', () => {
    const [withheld] = judgeRecords(clinicianOfA, careTeam, 'patient', Purpose.TREATMENT, C.DIAGNOSES, [sudFrom(programB)]).withheld;
    expect(withheld.categories).not.toContain(C.SUD);
    expect(withheld.reason).not.toMatch(/SUD|substance|part 2|program/i);
  });
});

describe('the other rules', () => {
  it.each<[string, Reader, string, boolean]>([
    ["staff see their own program's records", clinicianOfA, programA.id, true],
    ["staff do not see another program's records", clinicianOfA, programB.id, false],
    ["the patient sees every program's records", patient, programB.id, true],
    ["a partner does not see a program's records", pcp, programA.id, false],
  ])('%s', (_rule, reader, programId, shown) => {
    expect(showsProgramRecord(reader, programId)).toBe(shown);
  });

  it.each<[string, Reader, SourceFact | null, boolean]>([
    ["a number the reader's program assigned is shown", clinicianOfA, programA, true],
    ['a number another program assigned is not', clinicianOfA, programB, false],
    ['a number a local provider assigned is not', clinicianOfA, localProvider, false],
    ['a number a practice assigned is demographics', clinicianOfA, practice, true],
    ['a number of no known assigner is not', clinicianOfA, null, false],
    ['the patient sees every number', patient, programB, true],
  ])('%s', (_rule, reader, assigner, shown) => {
    expect(showsIdentifierFrom(reader, assigner)).toBe(shown);
  });

  it.each<[AccessBasis | null, boolean, boolean]>([
    ['CARE_TEAM', true, true],
    ['ADMIN', true, true],
    ['SELF', false, true],
    ['EMERGENCY', false, true],
    ['CONSENT', false, false],
    [null, false, false],
  ])('basis %s: may act on care %s, may see consents %s', (basis, actsOnCare, seesConsents) => {
    expect(mayActOnCare(basis)).toBe(actsOnCare);
    expect(maySeeConsents(basis)).toBe(seesConsents);
  });

  it('tells a partner a consent is missing, and refuses others', () => {
    const denied = decide(noGrant, 'patient', [C.LABS], Purpose.TREATMENT);
    expect(refusal(pcp, denied)).toBeInstanceOf(ConsentRequiredError);
    expect(refusal(clinicianOfA, denied)).toBeInstanceOf(ForbiddenError);
  });
});
