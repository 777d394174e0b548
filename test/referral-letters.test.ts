import { createHash } from 'node:crypto';
import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import type { TokenClaims } from '../src/auth/jwt';
import type { RequestUser } from '../src/auth/request-user';
import { Role } from '../src/auth/roles';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { ReferralLetter } from '../src/modules/referrals/referral-letter.entity';
import { ReferralUrgency } from '../src/modules/referrals/referral-packet';
import { Referral, ReferralStatus } from '../src/modules/referrals/referral.entity';
import { ReferralService } from '../src/modules/referrals/referral.service';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { OrganizationEndpointService } from '../src/modules/webhooks/organization-endpoint.service';
import { SecretBox } from '../src/modules/webhooks/secret-box';
import { verifySignature } from '../src/modules/webhooks/signature';
import { WebhookDeliveryStatus } from '../src/modules/webhooks/webhook-message.entity';
import { ReferralLetterDocument, RevokeConsentDocument } from './generated/graphql';
import { harnessWorker, type AppProcess } from './helpers/app-processes';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { pdfText } from './helpers/pdf';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;
let receiver: WebhookReceiver;
let workers: { stop(): Promise<void> } | null;

beforeAll(async () => {
  // Three attempts 50 ms apart (then 100 ms): a failing endpoint is given up on within a second.
  h = await startHarness({ JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  receiver = await startWebhookReceiver();
  workers = startTestWorkers(h);
  const em = h.orm.em.fork();
  const byClinician: ProvenanceInit = { sourceOrganization: em.getReference(Organization, world.iopId), sourceSystem: 'carebridge', recordedById: world.claims[Role.IOP_CLINICIAN].userId };
  const patient = em.getReference(Patient, world.patients[0].id);
  await em
    .persist([
      new Diagnosis(patient, byClinician, { icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate' }),
      new Diagnosis(patient, byClinician, { icd10Code: 'F11.20', text: 'Opioid use disorder, moderate' }),
    ])
    .flush();
});
afterAll(async () => {
  await workers?.stop();
  await receiver.close();
  await h.close();
});

const referrals = new ReferralService();
const requestUser = (claims: TokenClaims): RequestUser => ({ id: claims.userId, role: claims.role, organizationId: claims.organizationId ?? null, patientId: null });
/** A request of `claims`: its own EntityManager and policy. */
const as = (claims: TokenClaims) => {
  const em = h.orm.em.fork();
  return { em, access: new AccessPolicy(em, requestUser(claims), new DisclosureLedger()), actor: requestUser(claims) };
};

let recipients = 0;

/** A local provider of its own (so that each test sets its endpoint as it needs) with a user; a signed consent naming it for `categories`. */
async function newRecipient(categories: DataCategory[] = [DataCategory.DIAGNOSES]): Promise<{ organizationId: string; user: TokenClaims; consentId: string }> {
  const em = h.orm.em.fork();
  recipients += 1;
  const organization = new Organization(`Riverside Psychiatry ${recipients}`, OrganizationKind.LOCAL_PROVIDER);
  const user = new User(`provider${recipients}@riverside.example`, `Provider ${recipients}`);
  await em.persist([organization, user, new Membership(user, organization, Role.LOCAL_PROVIDER)]).flush();
  const consentId = await requestConsent(h, world, { recipientOrganizationIds: [organization.id], categories });
  await signConsent(h, world, consentId);
  return { organizationId: organization.id, user: { userId: user.id, role: Role.LOCAL_PROVIDER, organizationId: organization.id }, consentId };
}

/** Sets the organization's endpoint to a path of the test receiver (as the operator CLI does); returns its signing secret. */
async function setEndpoint(organizationId: string, path: string): Promise<string> {
  const endpoints = new OrganizationEndpointService(SecretBox.fromConfig(h.config), true);
  const { secret } = await endpoints.set(h.orm.em.fork(), null, organizationId, receiver.url(path));
  return secret;
}

/** The world's clinician refers the world's first patient to `organizationId` and sends it; returns the referral's id. */
async function sendReferral(organizationId: string, categories: DataCategory[] = [DataCategory.DIAGNOSES, DataCategory.SUD]): Promise<string> {
  const clinician = as(world.claims[Role.IOP_CLINICIAN]);
  const draft = await referrals.create(clinician.em, clinician.access, clinician.actor, {
    patientId: world.patients[0].id,
    recipientOrganizationId: organizationId,
    urgency: ReferralUrgency.URGENT,
    requestedService: 'Outpatient psychiatry evaluation',
    reason: 'Depression not responding to two SSRIs',
    clinicalQuestion: 'Is lithium augmentation appropriate?',
    requestedCategories: categories,
  });
  const sending = as(world.claims[Role.IOP_CLINICIAN]);
  await referrals.send(sending.em, sending.access, sending.actor, draft.id, draft.version);
  return draft.id;
}

const lettersOf = (referralId: string) => h.orm.em.fork().find(ReferralLetter, { referral: referralId }, { populate: ['bytes'] });
const referralOf = (referralId: string) => h.orm.em.fork().findOneOrFail(Referral, { id: referralId });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const download = async (referralId: string, claims: TokenClaims) => h.graphql(ReferralLetterDocument, { referralId }, await h.token(claims));
const toldOfFailure = (referralId: string) =>
  h.orm.em.fork().find(Notification, { kind: 'referral.failed', subjectId: referralId, recipient: world.claims[Role.IOP_CLINICIAN].userId });

/** Waits until the referral's letter's webhook delivery has settled in one of `statuses`. */
async function letterSettled(referralId: string, statuses: WebhookDeliveryStatus[] = [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.NO_ENDPOINT]): Promise<ReferralLetter> {
  const [letter] = await until(() => lettersOf(referralId), (letters) => letters.length > 0 && statuses.includes(letters[0].status), 15_000);
  expect(statuses).toContain(letter?.status);
  return letter;
}

describe('the letter job', () => {
  it('stores one letter with its SHA-256 in the recipient organization\'s inbox; its users download it, audited', async () => {
    const recipient = await newRecipient();
    const referralId = await sendReferral(recipient.organizationId);
    const letter = await letterSettled(referralId);
    expect(letter).toMatchObject({ version: 1, status: WebhookDeliveryStatus.NO_ENDPOINT, attempts: 0 });
    expect(letter.sha256).toBe(sha256(Buffer.from(letter.bytes)));
    expect(letter.deliveredToInboxAt).toBeInstanceOf(Date);
    const text = pdfText(Buffer.from(letter.bytes));
    expect(text).toContain('Referral to Riverside Psychiatry');
    expect(text).toContain('Major depressive disorder, recurrent, moderate (F33.1)');
    // The consent lists diagnoses, not SUD: the OUD diagnosis stays out, named as withheld, and no §2.32 notice is needed.
    expect(text).not.toContain('F11.20');
    expect(text).toContain('Not included: substance use disorder records (42 CFR Part 2)');
    expect(text).not.toContain('42 CFR 2.32');

    const downloaded = await download(referralId, recipient.user);
    expect(downloaded.errors).toBeUndefined();
    expect(downloaded.data!.referralLetter).toMatchObject({ referralId, version: 1, sha256: letter.sha256, status: 'NO_ENDPOINT' });
    expect(Buffer.from(downloaded.data!.referralLetter.pdf, 'base64').equals(Buffer.from(letter.bytes))).toBe(true);
    const bySender = await download(referralId, world.claims[Role.IOP_CLINICIAN]);
    expect(bySender.data!.referralLetter.sha256).toBe(letter.sha256);

    const audited = await until(
      () => h.orm.em.fork().find(AuditEvent, { userId: recipient.user.userId, patientId: world.patients[0].id }),
      (rows) => rows.some((row) => row.consentId === recipient.consentId),
    );
    expect(audited.find((row) => row.consentId === recipient.consentId)).toMatchObject({ role: Role.LOCAL_PROVIDER, categories: expect.arrayContaining([DataCategory.DIAGNOSES]) });
    expect(await lettersOf(referralId)).toHaveLength(1);
  }, 30_000);

  it("POSTs the signed FHIR Bundle once to the recipient's endpoint, with the pharmacy webhooks' signature and the letter inside", async () => {
    const recipient = await newRecipient([DataCategory.DIAGNOSES, DataCategory.SUD]);
    const secret = await setEndpoint(recipient.organizationId, '/letter-signed');
    const referralId = await sendReferral(recipient.organizationId);
    const letter = await letterSettled(referralId);
    expect(letter).toMatchObject({ status: WebhookDeliveryStatus.DELIVERED, attempts: 1, lastResponseStatus: 200 });
    const [post, ...more] = receiver.receivedAt('/letter-signed');
    expect(more).toEqual([]);
    expect(verifySignature(post.headers['x-signature'] as string, post.body, [secret])).toEqual({ valid: true });
    expect(verifySignature(post.headers['x-signature'] as string, post.body, ['another secret'])).toMatchObject({ valid: false });
    expect(post.headers['content-type']).toBe('application/fhir+json');
    expect(post.headers['idempotency-key']).toBe(`${referralId}/1`);
    const bundle = JSON.parse(post.body.toString()) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'message' });
    const types = bundle.entry!.map(({ resource }) => resource!.resourceType);
    expect(types).toEqual(expect.arrayContaining(['MessageHeader', 'ServiceRequest', 'Task', 'Patient', 'Condition', 'DocumentReference']));
    const document = bundle.entry!.find(({ resource }) => resource!.resourceType === 'DocumentReference')!.resource as DocumentReference;
    expect(Buffer.from(document.content[0].attachment.data!, 'base64').equals(Buffer.from(letter.bytes))).toBe(true);
    // SUD is consented to here: the OUD diagnosis goes, labelled, and the letter carries the notice.
    expect(bundle.meta!.security!.map((label) => label.code)).toContain('42CFRPart2');
    expect(pdfText(Buffer.from(letter.bytes))).toContain('Notice to recipients (42 CFR 2.32)');
  }, 30_000);

  it('delivers once to an endpoint answering 500, 500, then 200: the same key and body each time', async () => {
    const recipient = await newRecipient();
    await setEndpoint(recipient.organizationId, '/letter-flaky');
    receiver.script.set('/letter-flaky', [500, 500]);
    const referralId = await sendReferral(recipient.organizationId);
    const letter = await letterSettled(referralId);
    expect(letter).toMatchObject({ status: WebhookDeliveryStatus.DELIVERED, attempts: 3, lastResponseStatus: 200 });
    const posts = receiver.receivedAt('/letter-flaky');
    expect(posts.map((post) => post.headers['idempotency-key'])).toEqual([`${referralId}/1`, `${referralId}/1`, `${referralId}/1`]);
    expect(new Set(posts.map((post) => post.body.toString())).size).toBe(1);
    expect(await lettersOf(referralId)).toHaveLength(1);
    expect((await referralOf(referralId)).status).toBe(ReferralStatus.REQUESTED);
    expect(await toldOfFailure(referralId)).toEqual([]);
  }, 30_000);

  it('gives up on an endpoint that keeps answering 500 after the last attempt: the referral is FAILED and the sender alerted', async () => {
    const recipient = await newRecipient();
    await setEndpoint(recipient.organizationId, '/letter-down');
    receiver.script.set('/letter-down', [500, 500, 500, 500]);
    const referralId = await sendReferral(recipient.organizationId);
    const letter = await letterSettled(referralId, [WebhookDeliveryStatus.FAILED]);
    expect(letter).toMatchObject({ attempts: 3, lastResponseStatus: 500 });
    expect(receiver.receivedAt('/letter-down')).toHaveLength(3);
    const failed = await until(() => referralOf(referralId), (referral) => referral.status === ReferralStatus.FAILED);
    expect(failed).toMatchObject({ status: ReferralStatus.FAILED, failureReasonCode: 'WEBHOOK_UNREACHABLE' });
    expect(await until(() => toldOfFailure(referralId), (told) => told.length > 0)).toHaveLength(1);
    // The inbox copy stays: the recipient was sent it in the hub.
    expect(letter.deliveredToInboxAt).toBeInstanceOf(Date);
  }, 30_000);

  it('fails at once on a refusal (a 4xx other than 408 and 429)', async () => {
    const recipient = await newRecipient();
    await setEndpoint(recipient.organizationId, '/letter-refuses');
    receiver.script.set('/letter-refuses', [422]);
    const referralId = await sendReferral(recipient.organizationId);
    await letterSettled(referralId, [WebhookDeliveryStatus.FAILED]);
    expect(receiver.receivedAt('/letter-refuses')).toHaveLength(1);
    const failed = await until(() => referralOf(referralId), (referral) => referral.status === ReferralStatus.FAILED);
    expect(failed.failureReasonCode).toBe('WEBHOOK_REFUSED');
    expect(await until(() => toldOfFailure(referralId), (told) => told.length > 0)).toHaveLength(1);
  }, 30_000);

  it('stops a packet not yet delivered when a consent it was sent under is revoked: no letter, no POST, FAILED, the sender told', async () => {
    const recipient = await newRecipient();
    await setEndpoint(recipient.organizationId, '/letter-revoked');
    const queue = h.queues.get('referral-letters');
    await queue.pause();
    let referralId: string;
    try {
      referralId = await sendReferral(recipient.organizationId);
      const revoked = await h.graphql(RevokeConsentDocument, { consentId: recipient.consentId }, await h.token(world.claims[Role.PATIENT]));
      expect(revoked.errors).toBeUndefined();
    } finally {
      await queue.resume();
    }
    const failed = await until(() => referralOf(referralId), (referral) => referral.status === ReferralStatus.FAILED, 15_000);
    expect(failed).toMatchObject({ status: ReferralStatus.FAILED, failureReasonCode: 'CONSENT_REVOKED' });
    expect(await until(() => toldOfFailure(referralId), (told) => told.length > 0)).toHaveLength(1);
    expect(receiver.receivedAt('/letter-revoked')).toEqual([]);
    expect(await lettersOf(referralId)).toEqual([]);
  }, 30_000);

  it('gives the recipient no letter once a consent it was sent under is revoked; the sender still has it', async () => {
    const recipient = await newRecipient();
    const referralId = await sendReferral(recipient.organizationId);
    await letterSettled(referralId);
    expect((await download(referralId, recipient.user)).errors).toBeUndefined();
    await h.graphql(RevokeConsentDocument, { consentId: recipient.consentId }, await h.token(world.claims[Role.PATIENT]));
    const refused = await download(referralId, recipient.user);
    expect(refused.errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
    expect(refused.data).toBeNull();
    expect((await download(referralId, world.claims[Role.IOP_CLINICIAN])).errors).toBeUndefined();
  }, 30_000);

  it('lets no one else download the letter: another local provider, another program, a practice (NOT_FOUND)', async () => {
    const recipient = await newRecipient();
    const other = await newRecipient();
    const referralId = await sendReferral(recipient.organizationId);
    await letterSettled(referralId);
    for (const outsider of [other.user, second.clinician, world.claims[Role.LOCAL_PROVIDER], world.claims[Role.PCP]]) {
      const refused = await download(referralId, outsider);
      expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(refused.data).toBeNull();
    }
    expect(await h.orm.em.fork().count(AuditEvent, { userId: other.user.userId })).toBe(0);
  }, 30_000);
});

describe('a worker killed mid-job', () => {
  let worker: AppProcess;

  beforeAll(async () => {
    // Only the worker process serves the queues from here on.
    await workers!.stop();
    workers = null;
    worker = harnessWorker(h, {
      OUTBOX_POLL_INTERVAL_MS: '50',
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '50',
      // A killed worker's job is stalled once its lock lapses, and taken up again by the next stall check.
      JOB_LOCK_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    worker.start();
  });
  afterAll(() => worker.stop());

  it('produces exactly one letter and one delivery: the POST it died in is made again under the same key', async () => {
    const recipient = await newRecipient();
    const secret = await setEndpoint(recipient.organizationId, '/letter-crash');
    // The first POST gets no answer: the worker is caught in the middle of the job.
    receiver.script.set('/letter-crash', ['hold']);
    const referralId = await sendReferral(recipient.organizationId);
    await until(async () => receiver.receivedAt('/letter-crash'), (posts) => posts.length === 1, 90_000);
    if (receiver.receivedAt('/letter-crash').length !== 1) throw new Error(`The worker did not POST:\n${worker.output.slice(-3000)}`);
    await worker.kill();
    worker.start();

    const letter = await until(() => lettersOf(referralId), (letters) => letters[0]?.status === WebhookDeliveryStatus.DELIVERED, 90_000);
    expect(letter).toHaveLength(1);
    expect(letter[0]).toMatchObject({ version: 1, status: WebhookDeliveryStatus.DELIVERED });
    const posts = receiver.receivedAt('/letter-crash');
    expect(posts).toHaveLength(2);
    expect(posts.map((post) => post.headers['idempotency-key'])).toEqual([`${referralId}/1`, `${referralId}/1`]);
    expect(posts[1].body.equals(posts[0].body)).toBe(true);
    expect(verifySignature(posts[1].headers['x-signature'] as string, posts[1].body, [secret])).toEqual({ valid: true });
    expect((await referralOf(referralId)).status).toBe(ReferralStatus.REQUESTED);
    expect(worker.output).not.toContain('Opioid use disorder');
    expect(worker.output).not.toContain(world.patients[0].familyName);
  }, 240_000);
});
