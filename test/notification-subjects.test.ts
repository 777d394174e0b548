import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { InboundFailureService } from '../src/modules/ingest/inbound-failures.service';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { NotificationSubject } from '../src/modules/notifications/notification-subject';
import { Notifier } from '../src/modules/notifications/notify';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { FailedJobService } from '../src/modules/queued-work/failed-jobs.service';
import {
  BreakGlassAccessDocument,
  BreakGlassDocument,
  ConsentDocument,
  CriticalAlertDocument,
  DispenseDocument,
  EnrollmentDocument,
  FailedJobDocument,
  PrescribeToPharmacyDocument,
  PrescriptionRoutingDocument,
  CreateReferralDocument,
  ReferralDocument,
  SendReferralDocument,
  InboundMessageDocument,
  MarkNotificationsReadDocument,
  MedicationAlertDocument,
  MyNotificationsDocument,
  RegisterPatientDocument,
  RetryFailedJobDocument,
  RevokeConsentDocument,
  type NotificationSubject as Subject,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type GraphQLResponse, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Every kind of notification the hub sends names a subject its recipient can open with a typed
 * query; a user of another program (or anyone else who may not) gets exactly what an unknown id gets.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };
const notifier = new Notifier({ email: false });
const unknownId = '00000000-0000-4000-8000-00000000abcd';

beforeAll(async () => {
  h = await startHarness({ CONSENT_SWEEP_SECONDS: '1', CONSENT_REMINDER_HOURS: '0', CRITICAL_ALERT_ESCALATION_SECONDS: '1', BREAK_GLASS_MINUTES: '30' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

type Notice = { id: string; kind: string; subjectType: Subject; subjectId: string; readAt?: string | null };

async function noticesOf(claims: TokenClaims): Promise<Notice[]> {
  const result = await h.graphql(MyNotificationsDocument, {}, await h.token(claims));
  return result.data!.myNotifications.edges.map((edge) => edge.node);
}

/** Waits until `claims` has a notification of `kind` about `subjectId`, and returns it. */
async function noticeOf(claims: TokenClaims, kind: string, subjectId?: string): Promise<Notice> {
  const matches = (notice: Notice) => notice.kind === kind && (subjectId === undefined || notice.subjectId === subjectId);
  const notices = await until(() => noticesOf(claims), (items) => items.some(matches), 15_000);
  const found = notices.find(matches);
  if (!found) throw new Error(`no ${kind} notification for ${claims.userId}`);
  return found;
}

/** Opens a notification's subject with the query its subjectType names; returns the response. */
async function open(subjectType: Subject, id: string, claims: TokenClaims): Promise<GraphQLResponse<Record<string, { id: string } | null>>> {
  const token = await h.token(claims);
  const documents: Record<Subject, { toString(): string }> = {
    CRITICAL_ALERT: CriticalAlertDocument,
    CONSENT: ConsentDocument,
    ENROLLMENT: EnrollmentDocument,
    BREAK_GLASS_ACCESS: BreakGlassAccessDocument,
    INBOX_MESSAGE: InboundMessageDocument,
    FAILED_JOB: FailedJobDocument,
    PRESCRIPTION: PrescriptionRoutingDocument,
    DISPENSE: DispenseDocument,
    MEDICATION_ALERT: MedicationAlertDocument,
    REFERRAL: ReferralDocument,
  };
  return h.graphql<Record<string, { id: string } | null>, { id: string }>(documents[subjectType].toString(), { id }, token);
}

/** The recipient opens the subject; `outsiders` get exactly the answer an unknown id gets (message aside, which names the id). */
async function expectOpenedOnlyBy(notice: Notice, recipient: TokenClaims, outsiders: TokenClaims[]): Promise<void> {
  const opened = await open(notice.subjectType, notice.subjectId, recipient);
  expect(opened.errors).toBeUndefined();
  expect(Object.values(opened.data!)[0]!.id).toBe(notice.subjectId);
  for (const outsider of outsiders) {
    const refused = await open(notice.subjectType, notice.subjectId, outsider);
    const unknown = await open(notice.subjectType, unknownId, outsider);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(unknown.errors?.map((error) => error.extensions?.code));
    expect(refused.errors?.[0].message.replace(notice.subjectId, unknownId)).toBe(unknown.errors?.[0].message);
  }
}

/** The lithium fixture, final and critical, for the given patient (by a lab identifier taught here). */
async function criticalLithiumFor(patient: Patient, controlId: string, labPatientId: string): Promise<void> {
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(em.getReference(Patient, patient.id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), labPatientId, 'REGLAB'));
  await em.flush();
  await sendLithium(controlId, `\rPID|1||${labPatientId}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`);
}

async function sendLithium(controlId: string, pid: string): Promise<void> {
  const body = readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1')
    .replace('LAB-0001', controlId)
    .replace('ORD1|FIL1|', `ORD-${controlId}|FIL-${controlId}|`)
    .replace('ORD1|FIL1\r', `ORD-${controlId}|FIL-${controlId}\r`)
    .replace('||0.9|mmol/L|0.6-1.2|N|||P|', '||1.9|mmol/L|0.6-1.2|HH|||F|')
    .replace(/\rPID\|[^\r]*/, pid);
  const response = await h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${await h.token(world.claims[Role.LAB])}` },
    payload: body,
  });
  expect(response.body).toContain('MSA|AA|');
}

describe('each notification opens its subject for its recipient, and for nobody of another program', () => {
  it('patient.enrolled: the care team opens the enrolment', async () => {
    const registered = await h.graphql(
      RegisterPatientDocument,
      { input: { givenName: 'Notice', familyName: 'Enrolled', birthDate: '1990-02-02' } },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    const enrollmentId = registered.data!.registerPatient.enrollment.id;
    const notice = await noticeOf(world.claims[Role.IOP_CLINICIAN], 'patient.enrolled', enrollmentId);
    expect(notice.subjectType).toBe('ENROLLMENT');
    await expectOpenedOnlyBy(notice, world.claims[Role.IOP_CLINICIAN], [second.clinician, second.admin, world.claims[Role.PCP]]);
    const opened = await h.graphql(EnrollmentDocument, { id: enrollmentId }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(opened.data!.enrollment).toMatchObject({ patientId: registered.data!.registerPatient.patient.id, status: 'ACTIVE', program: { id: world.iopId } });
  }, 30_000);

  it("another program's enrolment of a patient both treat stays that program's record", async () => {
    const enrollment = await h.orm.em.fork().findOneOrFail(Enrollment, { patient: second.sharedPatientId, program: second.iopId });
    const own = await h.graphql(EnrollmentDocument, { id: enrollment.id }, await h.token(second.clinician));
    expect(own.data!.enrollment.id).toBe(enrollment.id);
    // The first program's clinician treats the same patient, yet this enrolment is as unknown to them.
    await expectOpenedOnlyBy({ id: '', kind: 'patient.enrolled', subjectType: 'ENROLLMENT', subjectId: enrollment.id }, second.clinician, [world.claims[Role.IOP_CLINICIAN]]);
  });

  it('critical.result and critical.escalated: the prescriber and the on-call open the alert', async () => {
    const patient = world.patients[1];
    await criticalLithiumFor(patient, 'NOTICE-CRIT', 'L-NOTICE');
    const result = await noticeOf(world.claims[Role.IOP_CLINICIAN], 'critical.result');
    expect(result.subjectType).toBe('CRITICAL_ALERT');
    await expectOpenedOnlyBy(result, world.claims[Role.IOP_CLINICIAN], [second.clinician, second.admin, world.claims[Role.PCP]]);
    const escalated = await noticeOf(world.claims[Role.ADMIN], 'critical.escalated', result.subjectId);
    await expectOpenedOnlyBy(escalated, world.claims[Role.ADMIN], [second.admin]);

    const opened = await h.graphql(CriticalAlertDocument, { id: result.subjectId }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(opened.data!.criticalAlert).toMatchObject({ patientId: patient.id, status: 'ESCALATED', labResult: { valueNumeric: 1.9 } });
    // Opening the alert is a disclosure of the patient's LABS, audited like the list's.
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token(world.claims[Role.IOP_CLINICIAN])}`, 'x-request-id': 'open-alert' },
      payload: { query: CriticalAlertDocument.toString(), variables: { id: result.subjectId } },
    });
    expect(response.json().data.criticalAlert.id).toBe(result.subjectId);
    const [row] = await h.orm.em.fork().find(AuditEvent, { requestId: 'open-alert' });
    expect(row).toMatchObject({ patientId: patient.id, userId: world.claims[Role.IOP_CLINICIAN].userId, categories: expect.arrayContaining(['LABS']) });
  }, 40_000);

  it('consent.requested and consent.reminder: the patient opens the consent; the other program, which treats them too, does not', async () => {
    const consentId = await requestConsent(h, world);
    const requested = await noticeOf(world.claims[Role.PATIENT], 'consent.requested', consentId);
    expect(requested.subjectType).toBe('CONSENT');
    await expectOpenedOnlyBy(requested, world.claims[Role.PATIENT], [second.clinician, second.admin, world.claims[Role.PCP]]);
    const reminder = await noticeOf(world.claims[Role.PATIENT], 'consent.reminder', consentId);
    await expectOpenedOnlyBy(reminder, world.claims[Role.PATIENT], [second.clinician]);
    const byStaff = await h.graphql(ConsentDocument, { id: consentId }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(byStaff.data!.consent).toMatchObject({ id: consentId, status: 'REQUESTED', program: { id: world.iopId } });
  }, 30_000);

  it('consent.revoked and consent.expired: the recipient it named opens the consent after its end', async () => {
    const revokedId = await requestConsent(h, world);
    await signConsent(h, world, revokedId);
    await h.graphql(RevokeConsentDocument, { consentId: revokedId }, await h.token(world.claims[Role.PATIENT]));
    const revoked = await noticeOf(world.claims[Role.PCP], 'consent.revoked', revokedId);
    await expectOpenedOnlyBy(revoked, world.claims[Role.PCP], [second.clinician, second.admin, world.claims[Role.PHARMACIST]]);
    expect((await open('CONSENT', revokedId, world.claims[Role.PCP])).data!.consent).toMatchObject({ status: 'REVOKED' });
    // Audited under the consent it opened, though no longer in force.
    expect(await h.orm.em.fork().count(AuditEvent, { userId: world.claims[Role.PCP].userId, consentId: revokedId })).toBeGreaterThan(0);

    const expiringId = await requestConsent(h, world, { expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await signConsent(h, world, expiringId);
    const expired = await noticeOf(world.claims[Role.PCP], 'consent.expired', expiringId);
    await expectOpenedOnlyBy(expired, world.claims[Role.PCP], [second.admin, world.claims[Role.PHARMACIST]]);
  }, 30_000);

  it('break-glass.opened: the privacy officer opens the emergency access, audited with it', async () => {
    const registered = await h.graphql(
      RegisterPatientDocument,
      { input: { givenName: 'Notice', familyName: 'Emergency', birthDate: '1977-07-07' } },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    const patientId = registered.data!.registerPatient.patient.id;
    const opened = await h.graphql(BreakGlassDocument, { patientId, reason: 'Unresponsive during a video session' }, await h.token(world.therapist));
    const accessId = opened.data!.breakGlass.access.id;
    const notice = await noticeOf(world.claims[Role.ADMIN], 'break-glass.opened', accessId);
    expect(notice.subjectType).toBe('BREAK_GLASS_ACCESS');
    await expectOpenedOnlyBy(notice, world.claims[Role.ADMIN], [second.admin, second.clinician, world.claims[Role.IOP_CLINICIAN]]);
    expect((await open('BREAK_GLASS_ACCESS', accessId, world.therapist)).data!.breakGlassAccess!.id).toBe(accessId);
    const audited = await h.orm.em.fork().find(AuditEvent, { userId: world.claims[Role.ADMIN].userId, breakGlassId: accessId });
    expect(audited.length).toBeGreaterThan(0);
    expect(audited[0].patientId).toBe(patientId);
  }, 30_000);

  it("critical.awaiting-match: every program's on-call opens the held message and its review; nobody else", async () => {
    await sendLithium('NOTICE-HELD', '\rPID|1||L-NOBODY^^^REGLAB^MR||Unknown^Someone||19700101');
    const notice = await noticeOf(world.claims[Role.ADMIN], 'critical.awaiting-match');
    expect(notice.subjectType).toBe('INBOX_MESSAGE');
    await expectOpenedOnlyBy(notice, world.claims[Role.ADMIN], [world.claims[Role.PCP]]);
    // Every program works the review queue (the message's program is not known yet).
    const forSecond = await noticeOf(second.admin, 'critical.awaiting-match', notice.subjectId);
    const opened = await open(forSecond.subjectType, forSecond.subjectId, second.admin);
    expect(opened.data!.inboundMessage).toMatchObject({ state: 'HELD', pendingMatchReview: { status: 'PENDING' } });
  }, 30_000);

  it('inbound.failed: the admins open the failed message', async () => {
    const em = h.orm.em.fork();
    const message = new InboxMessage({
      source: InboxSource.HL7V2,
      sourceOrganizationId: world.claims[Role.LAB].organizationId!,
      sourceMessageId: 'NOTICE-FAILED',
      contentType: 'x-application/hl7-v2+er7',
      headers: {},
      raw: Buffer.from('MSH|^~\\&|'),
      charset: 'latin1',
    });
    await em.persist(message).flush();
    expect(await new InboundFailureService().failForGood(h.orm.em.fork(), notifier, message.id, 'import failed: TestError', 'test/notice-failed')).toBe(true);
    const notice = await noticeOf(world.claims[Role.ADMIN], 'inbound.failed', message.id);
    await expectOpenedOnlyBy(notice, world.claims[Role.ADMIN], [world.claims[Role.PCP], world.claims[Role.IOP_CLINICIAN]]);
    expect((await open('INBOX_MESSAGE', message.id, second.admin)).data!.inboundMessage).toMatchObject({ state: InboxState.FAILED, pendingMatchReview: null });
  });

  it('job.failed: the admins open the failed job, until it is queued again', async () => {
    const em = h.orm.em.fork();
    await em.transactional(async (tx) => {
      // Relayed already, as a job that then failed: the running workers must not complete it first.
      addToOutbox(tx, 'notifications', 'patient.enrolled', { enrollmentId: unknownId }).relayedAt = new Date();
    });
    const row = await h.orm.em.fork().findOneOrFail(OutboxMessage, { jobName: 'patient.enrolled', payload: { enrollmentId: unknownId } });
    expect(await new FailedJobService().failForGood(h.orm.em.fork(), notifier, row.jobId, 'TestError')).toBe(true);
    const notice = await noticeOf(world.claims[Role.ADMIN], 'job.failed', row.jobKey);
    expect(notice.subjectType).toBe('FAILED_JOB');
    await expectOpenedOnlyBy(notice, world.claims[Role.ADMIN], [world.claims[Role.PCP], world.claims[Role.IOP_CLINICIAN]]);
    expect((await open('FAILED_JOB', row.jobKey, second.admin)).data!.failedJob).toMatchObject({ jobName: 'patient.enrolled', failureReason: 'TestError' });
    await h.graphql(RetryFailedJobDocument, { id: row.jobKey }, await h.token(world.claims[Role.ADMIN]));
    expect((await open('FAILED_JOB', row.jobKey, world.claims[Role.ADMIN])).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('prescription.awaiting-consent: the prescriber opens the prescription; the other program, the pharmacy and the practice do not', async () => {
    const prescriber = world.claims[Role.IOP_CLINICIAN];
    const written = await h.graphql(
      PrescribeToPharmacyDocument,
      { input: { patientId: world.patients[1].id, drugName: 'Sertraline 50 mg tablet', dose: '50 mg', route: 'oral', sig: 'once daily', pharmacyId: world.claims[Role.PHARMACIST].organizationId } },
      await h.token(prescriber),
    );
    const prescription = written.data!.prescribe.prescription;
    expect(prescription.routing).toBe('AWAITING_CONSENT');
    const notice = await noticeOf(prescriber, 'prescription.awaiting-consent', prescription.id);
    expect(notice.subjectType).toBe('PRESCRIPTION');
    await expectOpenedOnlyBy(notice, prescriber, [second.clinician, world.claims[Role.PHARMACIST], world.claims[Role.PCP]]);
  }, 30_000);

  it('referral.requested: the recipient organization opens the referral; the other program, the pharmacy and the practice do not', async () => {
    const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
    const created = await h.graphql(
      CreateReferralDocument,
      {
        input: {
          patientId: world.patients[1].id,
          recipientOrganizationId: world.claims[Role.LOCAL_PROVIDER].organizationId!,
          urgency: 'ROUTINE',
          requestedService: 'Outpatient psychiatry',
          reason: 'Needs in-person follow-up',
          clinicalQuestion: 'Medication review?',
          requestedCategories: ['DIAGNOSES'],
        },
      },
      clinician,
    );
    const { id } = created.data!.createReferral.referral;
    expect((await h.graphql(SendReferralDocument, { id, expectedVersion: 1 }, clinician)).errors).toBeUndefined();
    const recipient = world.claims[Role.LOCAL_PROVIDER];
    const notice = await noticeOf(recipient, 'referral.requested', id);
    expect(notice.subjectType).toBe('REFERRAL');
    await expectOpenedOnlyBy(notice, recipient, [second.clinician, world.claims[Role.PHARMACIST], world.claims[Role.PCP]]);
  }, 30_000);

  it('every subject type names, in the schema, a query that takes its id', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../schema/schema.graphql'), 'utf8'));
    const subjects = (schema.getType('NotificationSubject') as GraphQLEnumType).getValues();
    expect(subjects.map((value) => value.name).sort()).toEqual(Object.keys(NotificationSubject).sort());
    for (const subject of subjects) {
      const query = /^(\w+)\(id: subjectId\)/.exec(subject.description ?? '')?.[1];
      expect(schema.getQueryType()!.getFields()[query ?? '']?.args.map((arg) => arg.name)).toEqual(['id']);
    }
  });
});

describe('markNotificationsRead', () => {
  const unread = async (claims: TokenClaims) => (await noticesOf(claims)).filter((notice) => !notice.readAt);

  it("marks the caller's own notifications only, once, and all of them on request", async () => {
    const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
    const mine = await unread(world.claims[Role.IOP_CLINICIAN]);
    const theirs = await unread(world.claims[Role.ADMIN]);
    expect(mine.length).toBeGreaterThan(1);
    expect(theirs.length).toBeGreaterThan(0);

    const marked = await h.graphql(MarkNotificationsReadDocument, { ids: [mine[0].id, theirs[0].id, unknownId] }, clinician);
    expect(marked.data!.markNotificationsRead.marked).toBe(1);
    expect((await unread(world.claims[Role.IOP_CLINICIAN])).map((notice) => notice.id)).not.toContain(mine[0].id);
    expect((await unread(world.claims[Role.ADMIN])).map((notice) => notice.id)).toContain(theirs[0].id);
    const again = await h.graphql(MarkNotificationsReadDocument, { ids: [mine[0].id] }, clinician);
    expect(again.data!.markNotificationsRead.marked).toBe(0);

    const all = await h.graphql(MarkNotificationsReadDocument, { all: true }, clinician);
    expect(all.data!.markNotificationsRead.marked).toBe(mine.length - 1);
    expect(await unread(world.claims[Role.IOP_CLINICIAN])).toEqual([]);
    expect((await unread(world.claims[Role.ADMIN])).length).toBe(theirs.length);
  });

  it('refuses a request that names nothing, names ids and all, or names what is not an id, marking nothing', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const before = (await unread(world.claims[Role.ADMIN])).length;
    for (const variables of [{}, { ids: [] }, { ids: [unknownId], all: true }, { ids: ['not-an-id'] }, { ids: Array.from({ length: 101 }, () => unknownId) }]) {
      const refused = await h.graphql(MarkNotificationsReadDocument, variables, admin);
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await unread(world.claims[Role.ADMIN])).length).toBe(before);
  });
});
