import type { Redis } from 'ioredis';
import type { App } from '../src/app';
import { Role } from '../src/auth/roles';
import { createRedis } from '../src/jobs/redis';
import { LivePublisher } from '../src/live/live-publisher';
import { channelOf } from '../src/live/topics';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { User } from '../src/modules/users/user.entity';
import { CriticalAlertDocument, CriticalAlertRaisedDocument, RevokeConsentDocument, type CriticalAlertRaisedSubscription } from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { lithium, sendHl7Message } from './helpers/ingest';
import { publishUntil, startSecondInstance, subscribe, subscriptionsUrl, type LiveSubscriber } from './helpers/live';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Live updates end to end: critical results arrive from a lab (HL7 through the worker), the worker
 * publishes one event per alert to Redis, and two API instances (two Fastify apps, each with its
 * own Redis subscriber) deliver it over graphql-ws to each subscriber the policy lets read it.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let instanceB: App;
let workers: { stop(): Promise<void> };
let spy: Redis;
/** Every message published on the live channels, as Redis carried it. */
const published: { channel: string; message: string }[] = [];
let consentId: string;

type Subscriber = LiveSubscriber<CriticalAlertRaisedSubscription>;
/** Everyone watching, by who they are; A and B name the instance they are connected to. */
let watching: {
  programOneClinicianOnA: Subscriber;
  therapistOnB: Subscriber;
  programTwoClinicianOnA: Subscriber;
  pcpOnB: Subscriber;
  patientOnA: Subscriber;
  /** The prescriber again, for the second patient only. */
  secondPatientOnlyOnB: Subscriber;
};
const everyone = () => Object.values(watching);

const alertIdsOf = (subscriber: Subscriber) => subscriber.results.flatMap((result) => (result.data ? [result.data.criticalAlertRaised.id] : []));
const hasAlert = (subscriber: Subscriber, alertId: string) => alertIdsOf(subscriber).includes(alertId);

/** The lab's identifiers of the patients, so their results match at once. */
const labIdentifiers = () => ({ [world.patients[0].id]: 'L-555', [world.patients[1].id]: 'L-777', [second.ownPatientId]: 'L-888' });

/** A critical lithium result for a patient, sent by the lab through the real pipeline; resolves to the alert it raised. */
async function raiseCriticalResult(patientId: string, controlId: string, test?: string): Promise<string> {
  const patient = await h.orm.em.fork().findOneOrFail(Patient, { id: patientId });
  const identifier = labIdentifiers()[patientId];
  const body = lithium(controlId, '1.9', 'HH', test).replace(
    /\rPID\|[^\r]*/,
    `\rPID|1||${identifier}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`,
  );
  const { ack } = await sendHl7Message(h, await h.token(world.claims[Role.LAB]), body);
  expect(ack).toBe('AA');
  const alert = await until(
    () => h.orm.em.fork().findOne(CriticalAlert, { labResult: { sourceRecordId: `${controlId}/1` } }),
    (found) => found !== null,
    20_000,
  );
  return alert!.id;
}

/** Waits until each subscriber named has the alert, then returns their alert ids for asserting. */
async function untilDelivered(subscribers: Subscriber[], alertId: string, timeoutMs = 20_000) {
  await until(async () => subscribers.every((subscriber) => hasAlert(subscriber, alertId)), Boolean, timeoutMs);
  return subscribers.map((subscriber) => hasAlert(subscriber, alertId));
}

const channel = () => channelOf(h.config.QUEUE_PREFIX, 'criticalAlertRaised');

/** How often an alert's event was published (once, or again when its job was retried: delivery is at least once). */
const publishesOf = (alertId: string) => published.filter(({ message }) => (JSON.parse(message) as { recordId: string }).recordId === alertId).length;

/** Waits until each subscriber received each alert exactly as often as it was published; says, per subscriber, whether it did. */
async function untilEachPublishDelivered(subscribers: Subscriber[], alertIds: string[]) {
  const exact = (subscriber: Subscriber) => alertIds.every((id) => publishesOf(id) > 0 && alertIdsOf(subscriber).filter((each) => each === id).length === publishesOf(id));
  await until(async () => subscribers.every(exact), Boolean, 20_000);
  return subscribers.map(exact);
}

beforeAll(async () => {
  h = await startHarness({ CRITICAL_ALERT_ESCALATION_SECONDS: '3600' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  const em = h.orm.em.fork();
  const lab = em.getReference(Organization, world.claims[Role.LAB].organizationId!);
  for (const [patientId, value] of Object.entries(labIdentifiers())) em.persist(new PatientIdentifier(em.getReference(Patient, patientId), lab, value, 'REGLAB'));
  await em.flush();
  consentId = await requestConsent(h, world, { categories: ['LABS'] });
  await signConsent(h, world, consentId);

  spy = createRedis(h.config.REDIS_URL, 'client');
  spy.on('pmessage', (_pattern: string, channelName: string, message: string) => published.push({ channel: channelName, message }));
  await spy.psubscribe(`${h.config.QUEUE_PREFIX}:live:*`);

  instanceB = await startSecondInstance(h);
  const [onA, onB] = [await subscriptionsUrl(h.app), await subscriptionsUrl(instanceB)];
  const watch = async (url: string, claims: (typeof world.claims)[Role], patientId?: string) => subscribe(url, await h.token(claims), CriticalAlertRaisedDocument, { patientId });
  watching = {
    programOneClinicianOnA: await watch(onA, world.claims[Role.IOP_CLINICIAN]),
    therapistOnB: await watch(onB, world.therapist),
    programTwoClinicianOnA: await watch(onA, second.clinician),
    pcpOnB: await watch(onB, world.claims[Role.PCP]),
    patientOnA: await watch(onA, world.claims[Role.PATIENT]),
    secondPatientOnlyOnB: await watch(onB, world.claims[Role.IOP_CLINICIAN], world.patients[1].id),
  };
  workers = startTestWorkers(h);

  // Each instance holds one Redis subscription for the topic, whoever listens on it.
  await until(async () => ((await h.redis.pubsub('NUMSUB', channel())) as [string, number])[1], (count) => count === 2);
  // Every subscription is listening once each has an event: the first alert is published again
  // (from another connection, as another API process would) until all who may see it have it.
  const warmUp = await raiseCriticalResult(world.patients[0].id, 'LIVE-WARMUP');
  const waitingFor = everyone().filter((subscriber) => subscriber !== watching.secondPatientOnlyOnB);
  await publishUntil(h, 'criticalAlertRaised', [{ patientId: world.patients[0].id, recordId: warmUp }], () => waitingFor.every((subscriber) => hasAlert(subscriber, warmUp)));
}, 60_000);

afterAll(async () => {
  await Promise.all(everyone().map((subscriber) => subscriber.stop()));
  await workers.stop();
  await instanceB.close();
  await spy.quit();
  await h.close();
});

it('delivers an alert published once, through Redis, to subscribers on both instances, shown as `criticalAlert` shows it', async () => {
  const alertId = await raiseCriticalResult(world.patients[0].id, 'LIVE-1');
  const mayRead = [watching.programOneClinicianOnA, watching.therapistOnB, watching.programTwoClinicianOnA, watching.pcpOnB, watching.patientOnA];
  expect(await untilDelivered(mayRead, alertId)).toEqual(mayRead.map(() => true));
  // Each PUBLISH (one from the worker; again only if its job is retried) reaches each subscriber once, on either instance.
  expect(publishesOf(alertId)).toBeGreaterThanOrEqual(1);
  expect(await untilEachPublishDelivered(mayRead, [alertId])).toEqual(mayRead.map(() => true));

  const event = watching.pcpOnB.results.find((result) => result.data?.criticalAlertRaised.id === alertId)!;
  expect(event.errors).toBeUndefined();
  const asRead = await h.graphql(CriticalAlertDocument, { id: alertId }, await h.token(world.claims[Role.PCP]));
  expect(event.data!.criticalAlertRaised).toMatchObject({ ...asRead.data!.criticalAlert, labResult: { ...asRead.data!.criticalAlert.labResult, abnormalFlag: 'HH' } });
  expect(event.data!.criticalAlertRaised).toMatchObject({ patientId: world.patients[0].id, status: 'OPEN', labResult: { valueNumeric: 1.9, unit: 'mmol/L' } });
  expect(hasAlert(watching.secondPatientOnlyOnB, alertId)).toBe(false);
}, 60_000);

it("sends nobody an event the policy would not let them read: program 2 and the partner get nothing of a patient they may not see", async () => {
  // Program 1 only treats the second patient; the partner's consent and the patient user are the first patient's.
  const notTheirs = await raiseCriticalResult(world.patients[1].id, 'LIVE-OTHER');
  expect(await untilDelivered([watching.programOneClinicianOnA, watching.therapistOnB, watching.secondPatientOnlyOnB], notTheirs)).toEqual([true, true, true]);
  // Events reach a subscription in the order they were published: once the next one is there, the earlier was passed over.
  const theirs = await raiseCriticalResult(world.patients[0].id, 'LIVE-THEIRS');
  await untilDelivered([watching.programTwoClinicianOnA, watching.pcpOnB, watching.patientOnA, watching.programOneClinicianOnA], theirs);
  for (const subscriber of [watching.programTwoClinicianOnA, watching.pcpOnB, watching.patientOnA]) expect(hasAlert(subscriber, notTheirs)).toBe(false);
  expect(hasAlert(watching.secondPatientOnlyOnB, theirs)).toBe(false);
  // Nothing says an event was passed over: no errors were sent at all.
  for (const subscriber of everyone()) expect(subscriber.results.filter((result) => result.errors)).toEqual([]);
}, 60_000);

it('writes audit rows for each event delivered, as a read: who, which patient, under which consent', async () => {
  const rows = await h.orm.em.fork().find(AuditEvent, { operation: 'subscription CriticalAlertRaised' });
  const of = (userId: string) => rows.filter((row) => row.userId === userId);
  const pcpRows = of(world.claims[Role.PCP].userId);
  // One row per event delivered (each event is its own request), none for the events passed over.
  expect(pcpRows).toHaveLength(alertIdsOf(watching.pcpOnB).length);
  expect(pcpRows.every((row) => row.patientId === world.patients[0].id && row.consentId === consentId && row.categories.includes(DataCategory.LABS))).toBe(true);
  expect(new Set(pcpRows.map((row) => row.requestId)).size).toBe(pcpRows.length);
  expect(of(second.clinician.userId).map((row) => row.patientId)).toEqual(alertIdsOf(watching.programTwoClinicianOnA).map(() => world.patients[0].id));
  expect(of(world.claims[Role.PATIENT].userId)).toHaveLength(alertIdsOf(watching.patientOnA).length);
  const prescriberRows = of(world.claims[Role.IOP_CLINICIAN].userId);
  expect(prescriberRows).toHaveLength(alertIdsOf(watching.programOneClinicianOnA).length + alertIdsOf(watching.secondPatientOnlyOnB).length);
});

it("stops a partner's events the moment the patient revokes the consent, and resumes them under a new one", async () => {
  const revoked = await h.graphql(RevokeConsentDocument, { consentId }, await h.token(world.claims[Role.PATIENT]));
  expect(revoked.data?.revokeConsent.consent.status).toBe('REVOKED');
  const afterRevocation = await raiseCriticalResult(world.patients[0].id, 'LIVE-REVOKED');
  await untilDelivered([watching.programOneClinicianOnA, watching.patientOnA], afterRevocation);
  // The same decision as the read: the alert is unknown to the partner now.
  const read = await h.graphql(CriticalAlertDocument, { id: afterRevocation }, await h.token(world.claims[Role.PCP]));
  expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  consentId = await requestConsent(h, world, { categories: ['LABS'] });
  await signConsent(h, world, consentId);
  const underNewConsent = await raiseCriticalResult(world.patients[0].id, 'LIVE-RESIGNED');
  await untilDelivered([watching.pcpOnB], underNewConsent);
  expect(hasAlert(watching.pcpOnB, afterRevocation)).toBe(false);
  expect(watching.pcpOnB.completed).toBe(false);
  const rows = await h.orm.em.fork().find(AuditEvent, { operation: 'subscription CriticalAlertRaised', userId: world.claims[Role.PCP].userId }, { orderBy: { occurredAt: 'desc' } });
  expect(rows[0].consentId).toBe(consentId);
}, 60_000);

it("stops a program's events when its enrolment of the patient ends", async () => {
  await h.orm.em.fork().nativeUpdate(Enrollment, { patient: world.patients[0].id, program: second.iopId }, { status: EnrollmentStatus.DISCHARGED, endedAt: new Date() });
  const afterDischarge = await raiseCriticalResult(world.patients[0].id, 'LIVE-DISCHARGED');
  await untilDelivered([watching.programOneClinicianOnA], afterDischarge);
  const ownPatient = await raiseCriticalResult(second.ownPatientId, 'LIVE-OWN');
  await untilDelivered([watching.programTwoClinicianOnA], ownPatient);
  expect(hasAlert(watching.programTwoClinicianOnA, afterDischarge)).toBe(false);
  expect(hasAlert(watching.programOneClinicianOnA, ownPatient)).toBe(false);
}, 60_000);

it('delivers a burst of alerts for one patient to each subscriber on both instances, each once', async () => {
  const controlIds = Array.from({ length: 8 }, (_, index) => `LIVE-BURST-${index}`);
  const alertIds = await Promise.all(controlIds.map((controlId) => raiseCriticalResult(world.patients[0].id, controlId)));
  const mayRead = [watching.programOneClinicianOnA, watching.therapistOnB, watching.pcpOnB, watching.patientOnA];
  await until(async () => mayRead.every((subscriber) => alertIds.every((id) => hasAlert(subscriber, id))), Boolean, 20_000);
  expect(await untilEachPublishDelivered(mayRead, alertIds)).toEqual(mayRead.map(() => true));
  const pcpRows = await h.orm.em.fork().count(AuditEvent, { operation: 'subscription CriticalAlertRaised', userId: world.claims[Role.PCP].userId });
  expect(pcpRows).toBe(alertIdsOf(watching.pcpOnB).length);
}, 60_000);

it('sends an event that discloses Part 2 data with the redisclosure notice, and only to those who may see SUD', async () => {
  // A drug test identifies SUD care: the result is labelled SUD, which the partner's consent (LABS only) does not list.
  const drugScreen = await raiseCriticalResult(world.patients[0].id, 'LIVE-SUD', '19295-5^Buprenorphine urine drug screen^LN');
  await untilDelivered([watching.programOneClinicianOnA, watching.patientOnA], drugScreen);
  const event = watching.programOneClinicianOnA.results.find((result) => result.data?.criticalAlertRaised.id === drugScreen)!;
  expect(event.extensions).toEqual({ redisclosureNotice: expect.stringContaining('42 CFR part 2') as unknown });
  const plain = await raiseCriticalResult(world.patients[0].id, 'LIVE-NOT-SUD');
  await untilDelivered([watching.pcpOnB, watching.programOneClinicianOnA], plain);
  expect(hasAlert(watching.pcpOnB, drugScreen)).toBe(false);
  expect(watching.programOneClinicianOnA.results.find((result) => result.data?.criticalAlertRaised.id === plain)!.extensions).toBeUndefined();
  const rows = await h.orm.em.fork().find(AuditEvent, { operation: 'subscription CriticalAlertRaised', userId: world.claims[Role.IOP_CLINICIAN].userId }, { orderBy: { occurredAt: 'desc' } });
  expect(rows.some((row) => row.categories.includes(DataCategory.SUD))).toBe(true);
}, 60_000);

it('withholds an event whose audit rows cannot be written', async () => {
  const errorsOf = (subscriber: Subscriber) => subscriber.results.filter((result) => result.errors);
  const connection = h.orm.em.getConnection();
  await connection.execute('alter table "audit_event" rename to "audit_event_away"');
  try {
    await raiseCriticalResult(world.patients[0].id, 'LIVE-UNAUDITED');
    const [withheld] = await until(async () => errorsOf(watching.programOneClinicianOnA), (errors) => errors.length > 0);
    expect(withheld).toEqual({ errors: [{ message: 'The event could not be sent', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  } finally {
    await connection.execute('alter table "audit_event_away" rename to "audit_event"');
  }
  // The subscription goes on.
  const next = await raiseCriticalResult(world.patients[0].id, 'LIVE-AUDITED-AGAIN');
  await untilDelivered([watching.programOneClinicianOnA], next);
}, 60_000);

it('keeps connections open when their credentials cannot be checked again (the database failing), and checks at the next event', async () => {
  const connection = h.orm.em.getConnection();
  const before = h.logLines.length;
  await connection.execute('alter table "app_user" rename to "app_user_away"');
  try {
    // A change to users (the statement trigger notifies even when no row changes): every connection checks again, and fails to.
    await connection.execute('update "app_user_away" set "active" = "active" where false');
    const logged = await until(async () => h.logLines.slice(before).join('\n'), (lines) => lines.includes('credentials could not be checked again'));
    expect(logged).toContain('credentials could not be checked again');
  } finally {
    await connection.execute('alter table "app_user_away" rename to "app_user"');
  }
  const next = await raiseCriticalResult(world.patients[0].id, 'LIVE-DB-AWAY');
  expect(await untilDelivered([watching.programOneClinicianOnA, watching.pcpOnB, watching.patientOnA], next)).toEqual([true, true, true]);
  for (const subscriber of everyone()) expect(subscriber.failure).toBeNull();
}, 60_000);

it('puts ids only into Redis, never PHI', () => {
  const messages = published.filter((each) => each.channel === channel());
  expect(messages.length).toBeGreaterThan(5);
  const uuid = /^[0-9a-f-]{36}$/;
  for (const { message } of messages) {
    const parsed = JSON.parse(message) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['patientId', 'recordId']);
    expect(parsed.patientId).toMatch(uuid);
    expect(parsed.recordId).toMatch(uuid);
  }
  const patient = world.patients[0];
  const everything = messages.map(({ message }) => message).join('\n');
  for (const phi of [patient.givenName, patient.familyName, patient.birthDate, 'L-555', 'Lithium', '1.9']) expect(everything).not.toContain(phi);
});

it('lets a failed publish pass: the work is committed, the event is dropped and logged with ids only', async () => {
  const gone = createRedis(h.config.REDIS_URL, 'client');
  await gone.quit();
  const before = h.logLines.length;
  const event = { patientId: world.patients[0].id, recordId: world.patients[1].id };
  await expect(new LivePublisher(gone, h.config.QUEUE_PREFIX, h.logger).publish('criticalAlertRaised', event)).resolves.toBeUndefined();
  const logged = h.logLines.slice(before).join('\n');
  expect(logged).toContain('live update not published');
  expect(logged).not.toContain(world.patients[0].id);
});

it('ends its subscriptions and leaves Redis when an instance stops', async () => {
  const instanceC = await startSecondInstance(h);
  const subscriber = subscribe(await subscriptionsUrl(instanceC), await h.token(world.claims[Role.IOP_CLINICIAN]), CriticalAlertRaisedDocument, {});
  const numsub = async () => ((await h.redis.pubsub('NUMSUB', channel())) as [string, number])[1];
  expect(await until(numsub, (count) => count === 3)).toBe(3);
  const started = Date.now();
  await instanceC.close();
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await until(async () => subscriber.failure, (failure) => failure !== null)).not.toBeNull();
  expect(await until(numsub, (count) => count === 2)).toBe(2);
  await subscriber.stop();
});

describe('refusals', () => {
  const closed = async (subscriber: Subscriber) => until(async () => subscriber.failure, (failure) => failure !== null);
  const firstError = async (subscriber: Subscriber) => {
    const results = await until(async () => subscriber.results, (all) => all.length > 0);
    await subscriber.stop();
    return results[0]?.errors?.[0];
  };

  it('refuses a connection without valid credentials (4403), and a subscriber whose role may not subscribe (FORBIDDEN)', async () => {
    const url = await subscriptionsUrl(h.app);
    for (const token of [null, 'not-a-token']) {
      const refused = subscribe(url, token, CriticalAlertRaisedDocument, {});
      expect(await closed(refused)).toEqual({ code: 4403 });
      expect(refused.results).toEqual([]);
      await refused.stop();
    }
    const lab = subscribe(url, await h.token(world.claims[Role.LAB]), CriticalAlertRaisedDocument, {});
    expect((await firstError(lab))?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers a patient the subscriber may not see as unknown', async () => {
    const url = await subscriptionsUrl(instanceB);
    const subscriber = subscribe(url, await h.token(second.clinician), CriticalAlertRaisedDocument, { patientId: world.patients[1].id });
    expect((await firstError(subscriber))?.extensions?.code).toBe('NOT_FOUND');
  });

  it('serves subscriptions only, within the same limits as HTTP', async () => {
    const url = await subscriptionsUrl(h.app);
    const token = await h.token(world.claims[Role.IOP_CLINICIAN]);
    const query = subscribe(url, token, '{ me { id } }');
    const refusedQuery = await until(async () => query.failure, (failure) => failure !== null);
    expect(JSON.stringify(refusedQuery)).toContain('Only subscriptions are served over WebSocket');
    await query.stop();
    const aliases = Array.from({ length: h.config.GRAPHQL_MAX_ALIASES + 1 }, (_, index) => `a${index}: id`).join(' ');
    const tooMany = subscribe(url, token, `subscription { criticalAlertRaised { ${aliases} } }`);
    const refusedAliases = await until(async () => tooMany.failure, (failure) => failure !== null);
    expect(JSON.stringify(refusedAliases)).toContain('Aliases limit');
    await tooMany.stop();
  });

  it('refuses a document over the complexity limit, as POST /graphql does', async () => {
    const strict = await startHarness({ GRAPHQL_MAX_COMPLEXITY: '3' });
    try {
      const strictWorld = await seedWorld(strict.orm.em.fork());
      const token = await strict.token(strictWorld.claims[Role.IOP_CLINICIAN]);
      const subscriber = subscribe(await subscriptionsUrl(strict.app), token, CriticalAlertRaisedDocument, {});
      const refused = await until(async () => subscriber.failure, (failure) => failure !== null);
      expect(refused).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(/^Query complexity of \d+ exceeds the limit of 3$/) as unknown, extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) as unknown })] });
      await subscriber.stop();
      const overHttp = await strict.graphql(CriticalAlertDocument, { id: strictWorld.patients[0].id }, token);
      expect(overHttp.errors?.[0].message).toMatch(/exceeds the limit of 3$/);
    } finally {
      await strict.close();
    }
  });

  it("ends a suspended user's subscriptions at once", async () => {
    expect(watching.therapistOnB.failure).toBeNull();
    await h.orm.em.fork().nativeUpdate(User, { id: world.therapist.userId }, { active: false });
    expect(await closed(watching.therapistOnB)).toEqual({ code: 4403 });
  });
});
