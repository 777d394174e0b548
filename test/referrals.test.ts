import type { Rel } from '@mikro-orm/core';
import type { TokenClaims } from '../src/auth/jwt';
import type { RequestUser } from '../src/auth/request-user';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { ReferralUrgency } from '../src/modules/referrals/referral-packet';
import { Referral, ReferralEvent, ReferralStatus, referralTransitions } from '../src/modules/referrals/referral.entity';
import { markDeliveryFailed, referralPacket, ReferralService, type CreateReferralInput } from '../src/modules/referrals/referral.service';
import type { User } from '../src/modules/users/user.entity';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
});
afterAll(() => h.close());

const statuses = Object.values(ReferralStatus);
const sender = { userId: 'u-sender', organizationId: 'o-sender' };

/** A referral in `status`, never stored: the entity's own rules only (the ORM's metadata is the harness's). */
function referralIn(status: ReferralStatus): Referral {
  const ref = <T>(id: string) => ({ id }) as Rel<T>;
  const referral = new Referral(
    { patient: ref<Patient>('p'), senderOrganization: ref<Organization>('o-sender'), senderUser: ref<User>('u-sender'), recipientOrganization: ref<Organization>('o-recipient') },
    { urgency: ReferralUrgency.ROUTINE, requestedService: 'Psychiatry', reason: 'Needs in-person care', clinicalQuestion: 'Medication review?', requestedCategories: [DataCategory.DIAGNOSES] },
  );
  referral.status = status;
  referral.version = 1;
  return referral;
}

/** Makes the move to `to` with the entity's own method for it. */
function moveTo(referral: Referral, to: ReferralStatus): ReferralEvent {
  switch (to) {
    case ReferralStatus.DRAFT:
      throw new Error('nothing moves back to a draft');
    case ReferralStatus.REQUESTED:
      return referral.send({ recordIds: [], withheld: [], consentIds: [] }, sender);
    case ReferralStatus.RECEIVED:
      return referral.receive(sender);
    case ReferralStatus.ACCEPTED:
      return referral.accept(sender);
    case ReferralStatus.REJECTED:
      return referral.reject('No capacity', sender);
    case ReferralStatus.IN_PROGRESS:
      return referral.schedule(new Date('2026-12-10T15:00:00Z'), 'Room 4', sender);
    case ReferralStatus.COMPLETED:
      return referral.complete({ text: 'Seen; plan attached.', pdf: null }, null, sender);
    case ReferralStatus.NO_SHOW:
      return referral.markNoShow(sender);
    case ReferralStatus.CANCELLED:
      return referral.cancel('Patient moved away', sender);
    case ReferralStatus.FAILED:
      return referral.failDelivery('ENDPOINT_UNREACHABLE');
  }
}

describe('the transition table', () => {
  const pairs = statuses.flatMap((from) => statuses.filter((to) => to !== ReferralStatus.DRAFT).map((to) => [from, to] as const));
  const legal = pairs.filter(([from, to]) => referralTransitions[from].includes(to));
  const illegal = pairs.filter(([from, to]) => !referralTransitions[from].includes(to));

  it('is the FHIR Task flow: REJECTED, COMPLETED, NO_SHOW and CANCELLED are final', () => {
    for (const final of [ReferralStatus.REJECTED, ReferralStatus.COMPLETED, ReferralStatus.NO_SHOW, ReferralStatus.CANCELLED]) expect(referralTransitions[final]).toEqual([]);
    expect(legal.length).toBe(16);
    expect(illegal.length).toBe(statuses.length * (statuses.length - 1) - 16);
  });

  it.each(legal)('%s → %s moves and is kept in the timeline', (from, to) => {
    const referral = referralIn(from);
    const event = moveTo(referral, to);
    expect(referral.status).toBe(to);
    expect(event).toMatchObject({ fromStatus: from, toStatus: to });
    expect(referral.events.getItems().at(-1)).toBe(event);
  });

  it.each(illegal)('%s → %s is refused with CONFLICT and changes nothing', (from, to) => {
    const referral = referralIn(from);
    const before = { ...referral, events: referral.events.count() };
    expect(() => moveTo(referral, to)).toThrow(expect.objectContaining({ code: 'CONFLICT' }) as Error);
    expect({ ...referral, events: referral.events.count() }).toEqual(before);
  });

  it('a draft only is changed; a stale version is refused', () => {
    const draft = referralIn(ReferralStatus.DRAFT);
    draft.update({ requestedService: 'Detox' });
    expect(draft.requestedService).toBe('Detox');
    expect(() => referralIn(ReferralStatus.REQUESTED).update({ requestedService: 'Detox' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }) as Error);
    expect(() => draft.assertVersion(2)).toThrow(expect.objectContaining({ code: 'CONFLICT' }) as Error);
  });

  it('a rejection or cancellation needs its reason; psychotherapy notes are never requested', () => {
    expect(() => referralIn(ReferralStatus.RECEIVED).reject('  ', sender)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error);
    expect(() => referralIn(ReferralStatus.DRAFT).update({ requestedCategories: [DataCategory.PSYCHOTHERAPY_NOTES] })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error);
  });
});

describe('creating and sending', () => {
  const referrals = new ReferralService();
  const requestUser = (claims: TokenClaims): RequestUser => ({ id: claims.userId, role: claims.role, organizationId: claims.organizationId ?? null, patientId: null });
  /** A fresh request of `claims`: its own EntityManager, policy and ledger. */
  const as = (claims: TokenClaims) => {
    const em = h.orm.em.fork();
    const ledger = new DisclosureLedger();
    return { em, ledger, access: new AccessPolicy(em, requestUser(claims), ledger), actor: requestUser(claims) };
  };
  const input = (terms: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
    patientId: world.patients[0].id,
    recipientOrganizationId: world.claims[Role.LOCAL_PROVIDER].organizationId!,
    urgency: ReferralUrgency.URGENT,
    requestedService: 'Outpatient psychiatry',
    reason: 'Worsening depression despite IOP',
    clinicalQuestion: 'Medication review and in-person follow-up?',
    requestedCategories: [DataCategory.DIAGNOSES, DataCategory.SUD],
    ...terms,
  });
  const ids: Record<'depression' | 'oud' | 'othersOud', string> = { depression: '', oud: '', othersOud: '' };

  beforeAll(async () => {
    const em = h.orm.em.fork();
    const patient = em.getReference(Patient, world.patients[0].id);
    const by = (programId: string, userId: string): ProvenanceInit => ({ sourceOrganization: em.getReference(Organization, programId), sourceSystem: 'carebridge', recordedById: userId });
    const depression = new Diagnosis(patient, by(world.iopId, world.claims[Role.IOP_CLINICIAN].userId), { icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate' });
    const oud = new Diagnosis(patient, by(world.iopId, world.claims[Role.IOP_CLINICIAN].userId), { icd10Code: 'F11.20', text: 'Opioid use disorder' });
    const othersOud = new Diagnosis(patient, by(second.iopId, second.clinician.userId), { icd10Code: 'F11.21', text: 'Opioid use disorder, in remission' });
    await em.persist([depression, oud, othersOud]).flush();
    Object.assign(ids, { depression: depression.id, oud: oud.id, othersOud: othersOud.id });
  });

  it('a care-team clinician creates a draft; a pharmacy is no recipient; the recipient does not see a draft', async () => {
    const clinician = as(world.claims[Role.IOP_CLINICIAN]);
    const draft = await referrals.create(clinician.em, clinician.access, clinician.actor, input());
    expect(draft).toMatchObject({ status: ReferralStatus.DRAFT, version: 1, letterVersion: 0 });
    await expect(referrals.create(clinician.em, clinician.access, clinician.actor, input({ recipientOrganizationId: world.claims[Role.PHARMACIST].organizationId! }))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    const other = as(second.clinician);
    await expect(referrals.create(other.em, other.access, other.actor, input({ patientId: world.patients[1].id }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const recipient = as(world.claims[Role.LOCAL_PROVIDER]);
    await expect(referrals.open(recipient.em, recipient.access, draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sending decides the packet under the consents in force, stores it, is REQUESTED and writes the letter job in the same transaction', async () => {
    const consentId = await requestConsent(h, world, { recipientOrganizationIds: [world.claims[Role.LOCAL_PROVIDER].organizationId!], categories: [DataCategory.DIAGNOSES] });
    await signConsent(h, world, consentId);
    const clinician = as(world.claims[Role.IOP_CLINICIAN]);
    const draft = await referrals.create(clinician.em, clinician.access, clinician.actor, input());

    const preview = await referrals.preview(clinician.em, clinician.access, draft.id);
    expect(preview.records.map((record) => record.id)).toEqual([ids.depression]);
    expect(preview.withheld).toEqual([{ category: DataCategory.SUD, reason: 'CONSENT_REQUIRED' }]);
    expect(preview.consentNeeded).toEqual({ patientId: world.patients[0].id, recipientOrganizationId: world.claims[Role.LOCAL_PROVIDER].organizationId, categories: [DataCategory.DIAGNOSES, DataCategory.SUD] });

    const sent = await referrals.send(clinician.em, clinician.access, clinician.actor, draft.id, 1);
    expect(sent).toMatchObject({ status: ReferralStatus.REQUESTED, version: 2, letterVersion: 1, packetRecordIds: [ids.depression], packetConsentIds: [consentId] });
    const em = h.orm.em.fork();
    const letters = await em.find(OutboxMessage, { queue: 'referral-letters' });
    expect(letters.map(({ jobName, payload }) => ({ jobName, payload }))).toEqual([{ jobName: 'referral.send', payload: { referralId: draft.id, letterVersion: 1 } }]);
    const timeline = await referrals.timeline(em, draft.id);
    expect(timeline.map((event) => [event.fromStatus, event.toStatus, event.actorUserId])).toEqual([
      [null, ReferralStatus.DRAFT, world.claims[Role.IOP_CLINICIAN].userId],
      [ReferralStatus.DRAFT, ReferralStatus.REQUESTED, world.claims[Role.IOP_CLINICIAN].userId],
    ]);
    expect(await em.count(OutboxMessage, { queue: 'notifications', jobName: 'referral.moved', payload: { eventId: timeline[1].id } })).toBe(1);

    const packet = await referralPacket(h.orm.em.fork(), draft.id);
    expect(packet.records.map((record) => record.id)).toEqual([ids.depression]);
    expect(packet).toMatchObject({ referral: { id: draft.id, version: 1 }, withheld: [{ category: DataCategory.SUD }], includesSud: false, consentIds: [consentId] });
    expect(packet.records.map((record) => record.id)).not.toContain(ids.othersOud);
  });

  it('sending again with a stale version is CONFLICT and writes no second letter', async () => {
    const clinician = as(world.claims[Role.IOP_CLINICIAN]);
    const draft = await referrals.create(clinician.em, clinician.access, clinician.actor, input());
    await referrals.send(clinician.em, clinician.access, clinician.actor, draft.id, 1);
    const again = as(world.claims[Role.IOP_CLINICIAN]);
    await expect(referrals.send(again.em, again.access, again.actor, draft.id, 1)).rejects.toMatchObject({ code: 'CONFLICT' });
    const em = h.orm.em.fork();
    expect(await em.count(OutboxMessage, { queue: 'referral-letters', payload: { referralId: draft.id } })).toBe(1);
    expect(await em.count(ReferralEvent, { referral: draft.id })).toBe(2);
  });

  it('markDeliveryFailed moves a REQUESTED referral to FAILED once, with the code in the timeline', async () => {
    const clinician = as(world.claims[Role.IOP_CLINICIAN]);
    const draft = await referrals.create(clinician.em, clinician.access, clinician.actor, input());
    await referrals.send(clinician.em, clinician.access, clinician.actor, draft.id, 1);
    expect(await markDeliveryFailed(h.orm.em, draft.id, 'WEBHOOK_HTTP_500')).toBe(true);
    expect(await markDeliveryFailed(h.orm.em, draft.id, 'WEBHOOK_HTTP_500')).toBe(false);
    const em = h.orm.em.fork();
    expect(await em.findOneOrFail(Referral, draft.id)).toMatchObject({ status: ReferralStatus.FAILED, failureReasonCode: 'WEBHOOK_HTTP_500', version: 3 });
    const last = (await referrals.timeline(em, draft.id)).at(-1)!;
    expect(last).toMatchObject({ fromStatus: ReferralStatus.REQUESTED, toStatus: ReferralStatus.FAILED, actorUserId: null, note: 'WEBHOOK_HTTP_500' });
  });
});
