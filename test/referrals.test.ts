import type { Rel } from '@mikro-orm/core';
import type { TokenClaims } from '../src/auth/jwt';
import type { RequestUser } from '../src/auth/request-user';
import { Role } from '../src/auth/roles';
import { ConflictError } from '../src/errors';
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
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import {
  AcceptReferralDocument,
  CancelReferralDocument,
  CompleteReferralDocument,
  CreateReferralDocument,
  MarkReferralNoShowDocument,
  MyNotificationsDocument,
  ReceiveReferralDocument,
  ReferralConsultInViewDocument,
  ReferralDocument,
  ReferralPacketPreviewDocument,
  ReferralsReceivedDocument,
  ReferralsSentDocument,
  RejectReferralDocument,
  RevokeConsentDocument,
  ScheduleReferralDocument,
  SendReferralDocument,
  UpdateReferralDocument,
  type TypedDocumentString,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type GraphQLResponse, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  await addDiagnoses();
});
afterAll(() => h.close());

/** The world's first patient's diagnoses: depression and OUD from the IOP, OUD from the second (Part 2) program. */
const ids: Record<'depression' | 'oud' | 'othersOud', string> = { depression: '', oud: '', othersOud: '' };

async function addDiagnoses(): Promise<void> {
  const em = h.orm.em.fork();
  const patient = em.getReference(Patient, world.patients[0].id);
  const by = (programId: string, userId: string): ProvenanceInit => ({ sourceOrganization: em.getReference(Organization, programId), sourceSystem: 'carebridge', recordedById: userId });
  const depression = new Diagnosis(patient, by(world.iopId, world.claims[Role.IOP_CLINICIAN].userId), { icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate' });
  const oud = new Diagnosis(patient, by(world.iopId, world.claims[Role.IOP_CLINICIAN].userId), { icd10Code: 'F11.20', text: 'Opioid use disorder' });
  const othersOud = new Diagnosis(patient, by(second.iopId, second.clinician.userId), { icd10Code: 'F11.21', text: 'Opioid use disorder, in remission' });
  await em.persist([depression, oud, othersOud]).flush();
  Object.assign(ids, { depression: depression.id, oud: oud.id, othersOud: othersOud.id });
}


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

  /** The moves that bring a new referral to each state. */
  const { REQUESTED, RECEIVED, ACCEPTED, REJECTED, IN_PROGRESS, COMPLETED, NO_SHOW, CANCELLED, FAILED } = ReferralStatus;
  const pathTo: Record<ReferralStatus, ReferralStatus[]> = {
    DRAFT: [],
    REQUESTED: [REQUESTED],
    RECEIVED: [REQUESTED, RECEIVED],
    ACCEPTED: [REQUESTED, RECEIVED, ACCEPTED],
    REJECTED: [REQUESTED, RECEIVED, REJECTED],
    IN_PROGRESS: [REQUESTED, RECEIVED, ACCEPTED, IN_PROGRESS],
    COMPLETED: [REQUESTED, RECEIVED, ACCEPTED, IN_PROGRESS, COMPLETED],
    NO_SHOW: [REQUESTED, RECEIVED, ACCEPTED, IN_PROGRESS, NO_SHOW],
    CANCELLED: [CANCELLED],
    FAILED: [REQUESTED, FAILED],
  };

  const recipientMoves = [RECEIVED, ACCEPTED, REJECTED, IN_PROGRESS, COMPLETED, NO_SHOW];

  /** Asks the service for the move to `to`, as the side that makes it, on `version`. */
  async function moveThroughService(id: string, to: ReferralStatus, version: number): Promise<unknown> {
    const bySender = as(world.claims[Role.IOP_CLINICIAN]);
    const byRecipient = as(world.claims[Role.LOCAL_PROVIDER]);
    const recipient = [byRecipient.em, byRecipient.access, byRecipient.actor, id, version] as const;
    switch (to) {
      case ReferralStatus.DRAFT:
        throw new Error('nothing moves back to a draft');
      case REQUESTED:
        return referrals.send(bySender.em, bySender.access, bySender.actor, id, version);
      case CANCELLED:
        return referrals.cancel(bySender.em, bySender.access, bySender.actor, id, version, 'Patient moved away');
      case FAILED:
        // The letter job's move: it takes no version, and answers whether it moved.
        return (await markDeliveryFailed(h.orm.em, id, 'WEBHOOK_HTTP_500')) ? undefined : Promise.reject(new ConflictError('not REQUESTED'));
      case RECEIVED:
        return referrals.receive(...recipient);
      case ACCEPTED:
        return referrals.accept(...recipient);
      case REJECTED:
        return referrals.reject(...recipient, 'No capacity');
      case IN_PROGRESS:
        return referrals.schedule(...recipient, new Date('2026-12-10T15:00:00Z'), 'Room 4');
      case COMPLETED:
        return referrals.complete(...recipient, { text: 'Seen.', pdf: null });
      case NO_SHOW:
        return referrals.markNoShow(...recipient);
    }
  }

  it.each(statuses)('from %s, every move the table does not allow is refused through the service (CONFLICT) and changes nothing', async (from) => {
    const clinician = as(world.claims[Role.IOP_CLINICIAN]);
    const { id } = await referrals.create(clinician.em, clinician.access, clinician.actor, input({ patientId: world.patients[2].id }));
    for (const [step, to] of pathTo[from].entries()) await moveThroughService(id, to, step + 1);
    const stored = () => h.orm.em.fork().findOneOrFail(Referral, id, { populate: ['events'] });
    const before = await stored();
    expect(before.status).toBe(from);
    const illegal = statuses.filter((to) => to !== ReferralStatus.DRAFT && !referralTransitions[from].includes(to));
    for (const to of illegal) {
      // A referral never sent (a draft, or a draft cancelled) does not exist for the recipient: their moves on it are NOT_FOUND.
      const refusal = before.sentAt === null && recipientMoves.includes(to) ? 'NOT_FOUND' : 'CONFLICT';
      await expect(moveThroughService(id, to, before.version)).rejects.toMatchObject({ code: refusal });
      const after = await stored();
      expect([after.status, after.version, after.events.count(), after.statusReason, after.appointmentAt, after.consultRecordId]).toEqual([
        before.status,
        before.version,
        before.events.count(),
        before.statusReason,
        before.appointmentAt,
        before.consultRecordId,
      ]);
    }
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

describe('the closed loop through GraphQL', () => {
  let workers: { stop(): Promise<void> };
  let otherClinic: TokenClaims;
  const clinician = () => world.claims[Role.IOP_CLINICIAN];
  const practice = () => world.claims[Role.PCP];
  const clinic = () => world.claims[Role.LOCAL_PROVIDER];
  const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.code;

  /** Runs an operation as `claims`; fails the test on errors. */
  async function run<R, V>(claims: TokenClaims, document: TypedDocumentString<R, V>, variables: V): Promise<R> {
    const result = await h.graphql(document, variables, await h.token(claims));
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }
  const attempt = async <R, V>(claims: TokenClaims, document: TypedDocumentString<R, V>, variables: V) => h.graphql(document, variables, await h.token(claims));

  async function createFor(patientId: string, recipient: TokenClaims, requestedCategories: DataCategory[] = [DataCategory.DIAGNOSES]) {
    const { createReferral } = await run(clinician(), CreateReferralDocument, {
      input: {
        patientId,
        recipientOrganizationId: recipient.organizationId!,
        urgency: 'ROUTINE',
        requestedService: 'Outpatient psychiatry evaluation',
        reason: 'Persistent depressive symptoms despite IOP',
        clinicalQuestion: 'Would an SSRI switch help?',
        requestedCategories,
      },
    });
    return createReferral.referral;
  }

  /** A referral of the world's third patient to the local provider, sent (REQUESTED, version 2). */
  async function sentToClinic() {
    const draft = await createFor(world.patients[2].id, clinic());
    return (await run(clinician(), SendReferralDocument, { id: draft.id, expectedVersion: 1 })).sendReferral.referral;
  }

  async function noticesOf(claims: TokenClaims, kind: string, subjectId: string, count = 1) {
    const matching = async () => (await run(claims, MyNotificationsDocument, {})).myNotifications.edges.filter(({ node }) => node.kind === kind && node.subjectId === subjectId);
    return until(matching, (found) => found.length >= count, 15_000);
  }

  beforeAll(async () => {
    workers = startTestWorkers(h);
    const em = h.orm.em.fork();
    const organization = new Organization('Uptown Counseling', OrganizationKind.LOCAL_PROVIDER);
    const user = new User('intake@uptown.example', 'Uptown Intake');
    await em.persist([organization, user, new Membership(user, organization, Role.LOCAL_PROVIDER)]).flush();
    otherClinic = { userId: user.id, role: Role.LOCAL_PROVIDER, organizationId: organization.id };
  });
  afterAll(() => workers.stop());

  it('DRAFT → REQUESTED → RECEIVED → ACCEPTED → IN_PROGRESS (rescheduled) → COMPLETED, with the consult note in the shared view', async () => {
    const patientId = world.patients[0].id;
    const draft = await createFor(patientId, practice());
    const updated = (await run(clinician(), UpdateReferralDocument, { id: draft.id, expectedVersion: 1, input: { requestedService: 'Primary-care follow-up' } })).updateReferral.referral;
    expect(updated).toMatchObject({ status: 'DRAFT', version: 2, requestedService: 'Primary-care follow-up' });

    // No consent names the practice yet: the diagnosis is left out, and the sender is told which consent to ask for.
    const before = (await run(clinician(), ReferralPacketPreviewDocument, { id: draft.id })).referralPacketPreview;
    expect(before).toMatchObject({ records: [], withheld: [{ category: 'DIAGNOSES', reason: 'CONSENT_REQUIRED' }], nothingIncluded: true });
    expect(before.consentNeeded).toEqual({ patientId, recipientOrganizationId: practice().organizationId, categories: ['DIAGNOSES'] });
    await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [before.consentNeeded!.recipientOrganizationId], categories: before.consentNeeded!.categories }));
    const after = (await run(clinician(), ReferralPacketPreviewDocument, { id: draft.id })).referralPacketPreview;
    expect(after).toMatchObject({ withheld: [], consentNeeded: null, nothingIncluded: false });
    expect(after.records.map((record) => record.id)).toEqual([ids.depression]);

    let referral = (await run(clinician(), SendReferralDocument, { id: draft.id, expectedVersion: 2 })).sendReferral.referral;
    expect(referral).toMatchObject({ status: 'REQUESTED', version: 3, letterVersion: 1 });
    await noticesOf(practice(), 'referral.requested', draft.id);

    // The practice reads the packet as sent, audited under the consent it was sent under.
    const opened = (await run(practice(), ReferralDocument, { id: draft.id })).referral;
    expect(opened.packet).toMatchObject({ patient: { id: patientId, givenName: 'Avery' }, includesSud: false, withheld: [], letterVersion: 1 });
    expect(opened.packet!.records.map((record) => record.id)).toEqual([ids.depression]);
    const rows = await h.orm.em.fork().find(AuditEvent, { userId: practice().userId, patientId, consentId: { $ne: null } });
    expect(rows.some((row) => row.categories.includes(DataCategory.DIAGNOSES))).toBe(true);

    referral = (await run(practice(), ReceiveReferralDocument, { id: draft.id, expectedVersion: 3 })).receiveReferral.referral;
    referral = (await run(practice(), AcceptReferralDocument, { id: draft.id, expectedVersion: referral.version })).acceptReferral.referral;
    referral = (await run(practice(), ScheduleReferralDocument, { id: draft.id, expectedVersion: referral.version, at: '2026-12-10T15:00:00Z', place: 'Maple Street, room 2' })).scheduleReferral.referral;
    referral = (await run(practice(), ScheduleReferralDocument, { id: draft.id, expectedVersion: referral.version, at: '2026-12-11T09:30:00Z', place: 'Maple Street, room 3' })).scheduleReferral.referral;
    expect(referral).toMatchObject({ status: 'IN_PROGRESS', appointmentAt: '2026-12-11T09:30:00.000Z', appointmentPlace: 'Maple Street, room 3' });
    const pdf = Buffer.from('%PDF-1.4\n% consult note\n%%EOF\n');
    referral = (
      await run(practice(), CompleteReferralDocument, { id: draft.id, expectedVersion: referral.version, consultNote: 'Seen. Continue sertraline; recheck in 6 weeks.', consultNotePdfBase64: pdf.toString('base64') })
    ).completeReferral.referral;
    expect(referral).toMatchObject({ status: 'COMPLETED', version: 8, consultNote: 'Seen. Continue sertraline; recheck in 6 weeks.' });

    expect(referral.timeline.map((event) => [event.fromStatus, event.toStatus, event.organizationId])).toEqual([
      [null, 'DRAFT', world.iopId],
      ['DRAFT', 'REQUESTED', world.iopId],
      ['REQUESTED', 'RECEIVED', practice().organizationId],
      ['RECEIVED', 'ACCEPTED', practice().organizationId],
      ['ACCEPTED', 'IN_PROGRESS', practice().organizationId],
      ['IN_PROGRESS', 'IN_PROGRESS', practice().organizationId],
      ['IN_PROGRESS', 'COMPLETED', practice().organizationId],
    ]);
    expect(referral.timeline.slice(4, 6).map((event) => [event.appointmentAt, event.appointmentPlace, event.actorUserId])).toEqual([
      ['2026-12-10T15:00:00.000Z', 'Maple Street, room 2', practice().userId],
      ['2026-12-11T09:30:00.000Z', 'Maple Street, room 3', practice().userId],
    ]);
    for (const kind of ['referral.received', 'referral.accepted', 'referral.completed']) await noticesOf(clinician(), kind, draft.id);
    await noticesOf(clinician(), 'referral.scheduled', draft.id, 2);

    // The consult note joins the shared view as the practice's own record, traced to the referral.
    const view = (await run(clinician(), ReferralConsultInViewDocument, { id: patientId })).patient;
    const consult = view.encounters!.find((encounter) => encounter.id === referral.consultRecordId);
    expect(consult).toMatchObject({
      encounterType: 'Referral consult: Primary-care follow-up',
      summary: 'Seen. Continue sertraline; recheck in 6 weeks.',
      startedAt: '2026-12-11T09:30:00.000Z',
      categories: ['TREATMENT_SUMMARY'],
      provenance: { organizationId: practice().organizationId, system: 'carebridge-referral', recordId: draft.id, organization: { kind: 'PRIMARY_CARE' } },
    });
    expect((await run(clinician(), ReferralDocument, { id: draft.id })).referral.consultNotePdfBase64).toBe(pdf.toString('base64'));
  }, 60_000);

  it('ends REJECTED (with its reason), NO_SHOW, CANCELLED (the recipient told) or FAILED (the sender told, and it may be sent again)', async () => {
    const rejected = await sentToClinic();
    await run(clinic(), ReceiveReferralDocument, { id: rejected.id, expectedVersion: 2 });
    expect(codeOf(await attempt(clinic(), RejectReferralDocument, { id: rejected.id, expectedVersion: 3, reason: '  ' }))).toBe('BAD_USER_INPUT');
    const rejection = (await run(clinic(), RejectReferralDocument, { id: rejected.id, expectedVersion: 3, reason: 'No psychiatrist taking new patients' })).rejectReferral.referral;
    expect(rejection).toMatchObject({ status: 'REJECTED', statusReason: 'No psychiatrist taking new patients' });
    await noticesOf(clinician(), 'referral.rejected', rejected.id);

    const missed = await sentToClinic();
    await run(clinic(), ReceiveReferralDocument, { id: missed.id, expectedVersion: 2 });
    await run(clinic(), AcceptReferralDocument, { id: missed.id, expectedVersion: 3 });
    await run(clinic(), ScheduleReferralDocument, { id: missed.id, expectedVersion: 4, at: '2026-12-12T10:00:00Z', place: 'Downtown, suite 1' });
    expect((await run(clinic(), MarkReferralNoShowDocument, { id: missed.id, expectedVersion: 5 })).markReferralNoShow.referral.status).toBe('NO_SHOW');
    await noticesOf(clinician(), 'referral.no-show', missed.id);

    const cancelled = await sentToClinic();
    const cancellation = (await run(clinician(), CancelReferralDocument, { id: cancelled.id, expectedVersion: 2, reason: 'Patient admitted inpatient' })).cancelReferral.referral;
    expect(cancellation).toMatchObject({ status: 'CANCELLED', statusReason: 'Patient admitted inpatient' });
    await noticesOf(clinic(), 'referral.cancelled', cancelled.id);

    const failed = await sentToClinic();
    expect(await markDeliveryFailed(h.orm.em, failed.id, 'WEBHOOK_HTTP_503')).toBe(true);
    await noticesOf(clinician(), 'referral.failed', failed.id);
    const resent = (await run(clinician(), SendReferralDocument, { id: failed.id, expectedVersion: 3 })).sendReferral.referral;
    expect(resent).toMatchObject({ status: 'REQUESTED', letterVersion: 2, failureReasonCode: null });
    const letters = await h.orm.em.fork().find(OutboxMessage, { queue: 'referral-letters', payload: { referralId: failed.id } }, { orderBy: { createdAt: 'asc' } });
    expect(letters.map((letter) => letter.payload)).toEqual([
      { referralId: failed.id, letterVersion: 1 },
      { referralId: failed.id, letterVersion: 2 },
    ]);
  }, 60_000);

  it('a burst of 10 acceptReferral on one version: exactly one wins, the rest CONFLICT, one timeline event', async () => {
    const sent = await sentToClinic();
    await run(clinic(), ReceiveReferralDocument, { id: sent.id, expectedVersion: 2 });
    const token = await h.token(clinic());
    const results = await Promise.all(Array.from({ length: 10 }, () => h.graphql(AcceptReferralDocument, { id: sent.id, expectedVersion: 3 }, token)));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.filter((result) => codeOf(result) === 'CONFLICT')).toHaveLength(9);
    const em = h.orm.em.fork();
    expect(await em.findOneOrFail(Referral, sent.id)).toMatchObject({ status: ReferralStatus.ACCEPTED, version: 4 });
    expect(await em.count(ReferralEvent, { referral: sent.id, toStatus: ReferralStatus.ACCEPTED })).toBe(1);
  }, 30_000);

  it('another organization, the other program and the practice get NOT_FOUND; each side only acts as itself', async () => {
    const sent = await sentToClinic();
    for (const outsider of [otherClinic, practice(), second.clinician, world.claims[Role.PHARMACIST], second.admin]) {
      expect(codeOf(await attempt(outsider, ReferralDocument, { id: sent.id }))).toBe('NOT_FOUND');
    }
    for (const outsider of [otherClinic, practice()]) {
      expect(codeOf(await attempt(outsider, ReceiveReferralDocument, { id: sent.id, expectedVersion: 2 }))).toBe('NOT_FOUND');
    }
    expect(codeOf(await attempt(second.clinician, CancelReferralDocument, { id: sent.id, expectedVersion: 2, reason: 'Not mine' }))).toBe('NOT_FOUND');
    expect((await run(otherClinic, ReferralsReceivedDocument, {})).referralsReceived.edges.map(({ node }) => node.id)).not.toContain(sent.id);
    expect((await run(second.clinician, ReferralsSentDocument, {})).referralsSent.totalCount).toBe(0);
    // The recipient may not cancel, nor the sender accept: FORBIDDEN, nothing changed.
    expect(codeOf(await attempt(clinic(), CancelReferralDocument, { id: sent.id, expectedVersion: 2, reason: 'Full' }))).toBe('FORBIDDEN');
    expect(codeOf(await attempt(world.claims[Role.ADMIN], CancelReferralDocument, { id: sent.id, expectedVersion: 2, reason: 'Admin' }))).toBe('FORBIDDEN');
    expect((await run(clinic(), ReferralDocument, { id: sent.id })).referral).toMatchObject({ status: 'REQUESTED', version: 2 });
    const audited = () => h.orm.em.fork().count(AuditEvent, { userId: clinic().userId, patientId: world.patients[2].id });
    const auditedBefore = await audited();
    expect((await run(clinic(), ReferralsReceivedDocument, { status: 'REQUESTED' })).referralsReceived.edges.map(({ node }) => node.id)).toContain(sent.id);
    expect(await audited()).toBe(auditedBefore + 1);
    expect((await run(clinician(), ReferralsSentDocument, { status: 'REQUESTED' })).referralsSent.edges.map(({ node }) => node.id)).toContain(sent.id);
  }, 30_000);

  it("SUD goes only under a consent listing it; another program's Part 2 records never, even under its own consent", async () => {
    const patientId = world.patients[0].id;
    const local = clinic().organizationId!;
    await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [local], categories: ['DIAGNOSES'] }));
    const withoutSud = await createFor(patientId, clinic(), [DataCategory.DIAGNOSES, DataCategory.SUD]);
    const preview = (await run(clinician(), ReferralPacketPreviewDocument, { id: withoutSud.id })).referralPacketPreview;
    expect(preview.records.map((record) => record.id).sort()).toEqual([ids.depression]);
    expect(preview.withheld).toEqual([{ category: 'SUD', reason: 'CONSENT_REQUIRED' }]);
    expect(preview.consentNeeded!.categories).toEqual(['DIAGNOSES', 'SUD']);

    await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [local], categories: ['DIAGNOSES', 'SUD'] }));
    // The other program consents too, naming the same clinic: its records are still its own to send.
    await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [local], categories: ['DIAGNOSES', 'SUD'] }, second.clinician));
    const sent = (await run(clinician(), SendReferralDocument, { id: withoutSud.id, expectedVersion: 1 })).sendReferral.referral;
    const packet = (await run(clinic(), ReferralDocument, { id: sent.id })).referral.packet!;
    expect(packet.records.map((record) => record.id).sort()).toEqual([ids.depression, ids.oud].sort());
    expect(packet).toMatchObject({ includesSud: true, withheld: [] });
    expect(packet.records.map((record) => record.id)).not.toContain(ids.othersOud);
  }, 30_000);

  it('the recipient reads the packet as sent, not the live record, and nothing more once the consent is revoked', async () => {
    const consentId = await requestConsent(h, world, { recipientOrganizationIds: [otherClinic.organizationId!], categories: ['DIAGNOSES'] });
    await signConsent(h, world, consentId);
    const draft = await createFor(world.patients[0].id, otherClinic);
    await run(clinician(), SendReferralDocument, { id: draft.id, expectedVersion: 1 });
    // A later version of the diagnosis does not change what was sent.
    const em = h.orm.em.fork();
    const current = await em.findOneOrFail(Diagnosis, ids.depression);
    const corrected = new Diagnosis(current.patient, { sourceOrganization: current.sourceOrganization, sourceSystem: 'carebridge', recordedById: clinician().userId }, { icd10Code: 'F33.2', text: 'Major depressive disorder, recurrent, severe' });
    current.supersede(corrected);
    await em.persist(corrected).flush();
    const asSent = (await run(otherClinic, ReferralDocument, { id: draft.id })).referral.packet!;
    expect(asSent.records.map((record) => record.id)).toEqual([ids.depression]);

    await run(world.claims[Role.PATIENT], RevokeConsentDocument, { consentId });
    const revoked = await attempt(otherClinic, ReferralDocument, { id: draft.id });
    expect(revoked.data!.referral.packet!.records).toEqual([]);
    expect(revoked.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED', withheld: 1 }) as unknown })]);
  }, 30_000);
});
