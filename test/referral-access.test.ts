import { Role } from '../src/auth/roles';
import { decidePacket, readablePacket, referralListsOf, referralStandingOf, type PacketRecordFacts, type ReferralFacts } from '../src/modules/access/referral-rules';
import type { AccessBasis, ConsentFact, Reader } from '../src/modules/access/rules';
import { DataCategory, Purpose } from '../src/modules/consent/data-category';
import { OrganizationKind } from '../src/modules/organizations/organization.entity';

/** The referral access rules as a table: pure functions of plain facts, two programs. */

const programA = 'program-a';
const programB = 'program-b';
const clinic = 'clinic';
const otherClinic = 'other-clinic';
const lab = 'lab';

const reader = (role: Role, organizationId: string | null): Reader => ({ userId: `${role}-${organizationId}`, role, organizationId, patientId: null });
const sent: ReferralFacts = { senderOrganizationId: programA, recipientOrganizationId: clinic, draft: false };
const draft: ReferralFacts = { ...sent, draft: true };

describe('who stands where with a referral', () => {
  const rows: [string, Reader, AccessBasis | null, ReferralFacts | null, { side: 'SENDER' | 'RECIPIENT' | null; maySend: boolean }][] = [
    ["program A's clinician on the care team, referring", reader(Role.IOP_CLINICIAN, programA), 'CARE_TEAM', null, { side: null, maySend: true }],
    ["program A's clinician not on the care team, referring", reader(Role.IOP_CLINICIAN, programA), null, null, { side: null, maySend: false }],
    ["program A's admin, referring", reader(Role.ADMIN, programA), 'ADMIN', null, { side: null, maySend: false }],
    ["program A's clinician on the care team, its referral", reader(Role.IOP_CLINICIAN, programA), 'CARE_TEAM', sent, { side: 'SENDER', maySend: true }],
    ["program A's clinician on the care team, its draft", reader(Role.IOP_CLINICIAN, programA), 'CARE_TEAM', draft, { side: 'SENDER', maySend: true }],
    ["program A's admin, its referral (sees, does not act)", reader(Role.ADMIN, programA), 'ADMIN', sent, { side: 'SENDER', maySend: false }],
    ["program A's clinician off the care team", reader(Role.IOP_CLINICIAN, programA), null, sent, { side: null, maySend: false }],
    ["program B's clinician treating the same patient", reader(Role.IOP_CLINICIAN, programB), 'CARE_TEAM', sent, { side: null, maySend: false }],
    ["program B's admin", reader(Role.ADMIN, programB), 'ADMIN', sent, { side: null, maySend: false }],
    ['the recipient clinic, sent', reader(Role.LOCAL_PROVIDER, clinic), null, sent, { side: 'RECIPIENT', maySend: false }],
    ['the recipient clinic under a consent, sent', reader(Role.LOCAL_PROVIDER, clinic), 'CONSENT', sent, { side: 'RECIPIENT', maySend: false }],
    ['the recipient clinic, a draft', reader(Role.LOCAL_PROVIDER, clinic), null, draft, { side: null, maySend: false }],
    ["the recipient clinic's admin", reader(Role.ADMIN, clinic), null, sent, { side: null, maySend: false }],
    ['another clinic', reader(Role.LOCAL_PROVIDER, otherClinic), 'CONSENT', sent, { side: null, maySend: false }],
    ['a practice named by a consent', reader(Role.PCP, otherClinic), 'CONSENT', sent, { side: null, maySend: false }],
    ['a pharmacist', reader(Role.PHARMACIST, 'pharmacy'), 'CONSENT', sent, { side: null, maySend: false }],
    ['the patient', { ...reader(Role.PATIENT, null), patientId: 'patient' }, 'SELF', sent, { side: null, maySend: false }],
  ];

  it.each(rows)('%s', (_name, who, basis, referral, expected) => {
    expect(referralStandingOf(who, referral, basis)).toEqual(expected);
  });

  it('lists: staff the referrals their program sent, recipients those addressed to them', () => {
    expect(referralListsOf(reader(Role.IOP_CLINICIAN, programA))).toEqual({ sentBy: programA, receivedBy: null });
    expect(referralListsOf(reader(Role.ADMIN, programA))).toEqual({ sentBy: programA, receivedBy: null });
    expect(referralListsOf(reader(Role.LOCAL_PROVIDER, clinic))).toEqual({ sentBy: null, receivedBy: clinic });
    expect(referralListsOf(reader(Role.PCP, clinic))).toEqual({ sentBy: null, receivedBy: clinic });
    expect(referralListsOf(reader(Role.PHARMACIST, 'pharmacy'))).toEqual({ sentBy: null, receivedBy: null });
  });
});

describe('the packet decision', () => {
  const sender = reader(Role.IOP_CLINICIAN, programA);
  const record = (id: string, kindCategory: DataCategory, categories: DataCategory[], source: string, kind: OrganizationKind): PacketRecordFacts => ({
    id,
    kindCategory,
    categories,
    source: { id: source, kind },
  });
  const depression = record('depression', DataCategory.DIAGNOSES, [DataCategory.DIAGNOSES], programA, OrganizationKind.IOP);
  const oud = record('oud', DataCategory.DIAGNOSES, [DataCategory.DIAGNOSES, DataCategory.SUD], programA, OrganizationKind.IOP);
  const othersOud = record('others-oud', DataCategory.DIAGNOSES, [DataCategory.DIAGNOSES, DataCategory.SUD], programB, OrganizationKind.IOP);
  const drugScreen = record('drug-screen', DataCategory.LABS, [DataCategory.LABS, DataCategory.SUD], lab, OrganizationKind.LAB);
  const buprenorphine = record('buprenorphine', DataCategory.MEDICATIONS, [DataCategory.MEDICATIONS, DataCategory.SUD], programA, OrganizationKind.IOP);
  const sertraline = record('sertraline', DataCategory.MEDICATIONS, [DataCategory.MEDICATIONS], programA, OrganizationKind.IOP);
  const all = [depression, oud, othersOud, drugScreen, buprenorphine, sertraline];
  const consent = (id: string, programId: string, categories: DataCategory[], purpose = Purpose.TREATMENT): ConsentFact => ({ id, programId, purpose, categories });

  const diagnoses = [depression, oud, othersOud];
  const medications = [sertraline, buprenorphine];
  const rows: [string, PacketRecordFacts[], DataCategory[], ConsentFact[], string[], DataCategory[], DataCategory[]][] = [
    ['no consent: everything requested is withheld', diagnoses, [DataCategory.DIAGNOSES], [], [], [DataCategory.DIAGNOSES], [DataCategory.DIAGNOSES]],
    ['DIAGNOSES: the SUD diagnosis is not asked for without SUD', diagnoses, [DataCategory.DIAGNOSES], [consent('c1', programA, [DataCategory.DIAGNOSES])], ['depression'], [], []],
    [
      'DIAGNOSES and SUD under a consent without SUD: SUD withheld, the consent to ask lists both',
      diagnoses,
      [DataCategory.DIAGNOSES, DataCategory.SUD],
      [consent('c1', programA, [DataCategory.DIAGNOSES])],
      ['depression'],
      [DataCategory.SUD],
      [DataCategory.DIAGNOSES, DataCategory.SUD],
    ],
    [
      "DIAGNOSES and SUD under a consent listing SUD: program A's OUD goes, program B's never (nor is it reported)",
      diagnoses,
      [DataCategory.DIAGNOSES, DataCategory.SUD],
      [consent('c1', programA, [DataCategory.DIAGNOSES, DataCategory.SUD])],
      ['depression', 'oud'],
      [],
      [],
    ],
    [
      "program B's own consent naming the clinic lets program A send neither B's records nor its own",
      diagnoses,
      [DataCategory.DIAGNOSES, DataCategory.SUD],
      [consent('b1', programB, [DataCategory.DIAGNOSES, DataCategory.SUD])],
      [],
      [DataCategory.DIAGNOSES, DataCategory.SUD],
      [DataCategory.DIAGNOSES, DataCategory.SUD],
    ],
    [
      "SUD alone: every SUD record the sender may disclose (a lab's drug screen too), each under a consent listing all its labels",
      all,
      [DataCategory.SUD],
      [consent('c1', programA, [DataCategory.DIAGNOSES, DataCategory.SUD, DataCategory.LABS])],
      ['oud', 'drug-screen'],
      [DataCategory.SUD],
      [DataCategory.MEDICATIONS, DataCategory.SUD],
    ],
    [
      'two consents are never combined for one record',
      medications,
      [DataCategory.MEDICATIONS, DataCategory.SUD],
      [consent('c1', programA, [DataCategory.MEDICATIONS]), consent('c2', programA, [DataCategory.SUD])],
      ['sertraline'],
      [DataCategory.SUD],
      [DataCategory.MEDICATIONS, DataCategory.SUD],
    ],
    [
      'a consent for payment is no consent for treatment',
      medications,
      [DataCategory.MEDICATIONS],
      [consent('c1', programA, [DataCategory.MEDICATIONS], Purpose.PAYMENT)],
      [],
      [DataCategory.MEDICATIONS],
      [DataCategory.MEDICATIONS],
    ],
  ];

  it.each(rows)('%s', (_name, records, requested, consents, included, withheld, consentNeeded) => {
    const decision = decidePacket(sender, requested, records, consents);
    expect(decision.included.map((each) => each.recordId).sort()).toEqual([...included].sort());
    expect(decision.withheld).toEqual(withheld.map((category) => ({ category, reason: 'CONSENT_REQUIRED' })));
    expect(decision.consentNeeded).toEqual(consentNeeded);
  });

  it('each record goes under the consent that lists all its labels', () => {
    const decision = decidePacket(sender, [DataCategory.DIAGNOSES, DataCategory.SUD], diagnoses, [consent('c1', programA, [DataCategory.DIAGNOSES]), consent('c2', programA, [DataCategory.DIAGNOSES, DataCategory.SUD])]);
    expect(decision.included).toEqual([
      { recordId: 'depression', consentId: 'c1' },
      { recordId: 'oud', consentId: 'c2' },
    ]);
  });

  it('the recipient reads what a consent it was sent under, still in force, covers; the sender reads it all', () => {
    expect(readablePacket('RECIPIENT', [depression, oud], [consent('c1', programA, [DataCategory.DIAGNOSES])])).toEqual({ shown: new Map([['c1', [depression]]]), withheld: [oud] });
    expect(readablePacket('RECIPIENT', [depression, oud], [])).toEqual({ shown: new Map(), withheld: [depression, oud] });
    expect(readablePacket('SENDER', [depression, oud], [])).toEqual({ shown: new Map([[null, [depression, oud]]]), withheld: [] });
  });
});
