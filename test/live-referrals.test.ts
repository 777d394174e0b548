import type { App } from '../src/app';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { markDeliveryFailed } from '../src/modules/referrals/referral.service';
import {
  AcceptReferralDocument,
  CancelReferralDocument,
  CompleteReferralDocument,
  CreateReferralDocument,
  ReceiveReferralDocument,
  ReferralDocument,
  ReferralsReceivedDocument,
  ReferralUpdatedDocument,
  ScheduleReferralDocument,
  SendReferralDocument,
  type ReferralUpdatedSubscription,
  type TypedDocumentString,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { publishUntil, startSecondInstance, subscribe, subscriptionsUrl, type LiveSubscriber } from './helpers/live';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Referrals live: each move (sending, the recipient's answers, the sender's cancellation, a failed
 * delivery) queues a `live.publish` job through the outbox in the move's transaction; two API
 * instances deliver `referralUpdated` to the subscribers the access module's referral rule puts on
 * a side of it: the sending program's care team and admins, the recipient organization's clinical
 * users. The second program (which also treats the patient) and the other recipient organization
 * receive nothing of it.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let instanceB: App;
let workers: { stop(): Promise<void> };

type Watcher = LiveSubscriber<ReferralUpdatedSubscription>;
interface Watching {
  clinicianOnA: Watcher;
  adminOnB: Watcher;
  localProviderOnB: Watcher;
  practiceOnA: Watcher;
  programTwoOnA: Watcher;
  programTwoAdminOnB: Watcher;
}
let watching: Watching;

let clinician: TokenClaims;
let localProvider: TokenClaims;
let practice: TokenClaims;

/** The statuses a subscriber was sent for a referral, in order. */
const statusesOf = (subscriber: Watcher, id: string) =>
  subscriber.results.flatMap((result) => (result.data && result.data.referralUpdated.id === id ? [result.data.referralUpdated.status] : []));
const has = (subscriber: Watcher, id: string) => statusesOf(subscriber, id).length > 0;
const untilStatuses = (subscriber: Watcher, id: string, count: number) => until(async () => statusesOf(subscriber, id), (statuses) => statuses.length >= count, 20_000);

async function gql<R, V>(document: TypedDocumentString<R, V>, variables: V, claims: TokenClaims): Promise<R> {
  const result = await h.graphql(document, variables, await h.token(claims));
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** A referral written by `by` about `patientId` to `to`'s organization; resolves to its id and version. */
async function draft(by: TokenClaims, patientId: string, to: TokenClaims): Promise<{ id: string; version: number }> {
  const { createReferral } = await gql(
    CreateReferralDocument,
    {
      input: {
        patientId,
        recipientOrganizationId: to.organizationId!,
        urgency: 'URGENT',
        requestedService: 'Outpatient psychiatry',
        reason: 'Needs in-person care',
        clinicalQuestion: 'Medication review?',
        requestedCategories: ['DIAGNOSES'],
      },
    },
    by,
  );
  return { id: createReferral.referral.id, version: createReferral.referral.version };
}

async function sent(by: TokenClaims, patientId: string, to: TokenClaims): Promise<{ id: string; version: number }> {
  const written = await draft(by, patientId, to);
  const { sendReferral } = await gql(SendReferralDocument, { id: written.id, expectedVersion: written.version }, by);
  return { id: written.id, version: sendReferral.referral.version };
}

/** Publishes an event again (as another process would) until `received` holds: the subscribers named listen then. */
const warmUp = (patientId: string, recordId: string, received: () => boolean) => publishUntil(h, 'referralUpdated', [{ patientId, recordId }], received);

const patientOne = () => world.patients[0].id;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  clinician = world.claims[Role.IOP_CLINICIAN];
  localProvider = world.claims[Role.LOCAL_PROVIDER];
  practice = world.claims[Role.PCP];

  instanceB = await startSecondInstance(h);
  const [onA, onB] = [await subscriptionsUrl(h.app), await subscriptionsUrl(instanceB)];
  const watch = async (url: string, claims: TokenClaims) => subscribe(url, await h.token(claims), ReferralUpdatedDocument, {});
  watching = {
    clinicianOnA: await watch(onA, clinician),
    adminOnB: await watch(onB, world.claims[Role.ADMIN]),
    localProviderOnB: await watch(onB, localProvider),
    practiceOnA: await watch(onA, practice),
    programTwoOnA: await watch(onA, second.clinician),
    programTwoAdminOnB: await watch(onB, second.admin),
  };
  workers = startTestWorkers(h);

  // Every subscription listens: a referral each may see, published again until all have it.
  const toLocal = await sent(clinician, patientOne(), localProvider);
  const toPractice = await sent(clinician, patientOne(), practice);
  const programTwos = await sent(second.clinician, second.ownPatientId, localProvider);
  await warmUp(patientOne(), toLocal.id, () => [watching.clinicianOnA, watching.adminOnB, watching.localProviderOnB].every((subscriber) => has(subscriber, toLocal.id)));
  await warmUp(patientOne(), toPractice.id, () => has(watching.practiceOnA, toPractice.id));
  await warmUp(second.ownPatientId, programTwos.id, () => has(watching.programTwoOnA, programTwos.id) && has(watching.programTwoAdminOnB, programTwos.id));
}, 90_000);

afterAll(async () => {
  await Promise.all(Object.values(watching).map((subscriber: Watcher) => subscriber.stop()));
  await workers.stop();
  await instanceB.close();
  await h.close();
});

it('each move of the whole loop reaches the sending care team, the program admin and the recipient organization, shown as referral(id) shows it; once each', async () => {
  // Each event is read when it arrives: every move waits until all three had the one before, so each shows its own state.
  const sides = [watching.clinicianOnA, watching.adminOnB, watching.localProviderOnB];
  const { id, version } = await sent(clinician, patientOne(), localProvider);
  const heard = async (count: number) => {
    for (const subscriber of sides) await untilStatuses(subscriber, id, count);
  };
  await heard(1);
  const { receiveReferral } = await gql(ReceiveReferralDocument, { id, expectedVersion: version }, localProvider);
  await heard(2);
  const { acceptReferral } = await gql(AcceptReferralDocument, { id, expectedVersion: receiveReferral.referral.version }, localProvider);
  await heard(3);
  const { scheduleReferral } = await gql(
    ScheduleReferralDocument,
    { id, expectedVersion: acceptReferral.referral.version, at: '2026-12-10T15:00:00Z', place: 'Clinic, room 4' },
    localProvider,
  );
  await heard(4);
  await gql(CompleteReferralDocument, { id, expectedVersion: scheduleReferral.referral.version, consultNote: 'Seen; plan in the note.' }, localProvider);
  await heard(5);
  for (const subscriber of sides) expect(statusesOf(subscriber, id)).toEqual(['REQUESTED', 'RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
  expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'live.publish', payload: { topic: 'referralUpdated', recordId: id } })).toBe(5);

  const last = watching.localProviderOnB.results.filter((result) => result.data?.referralUpdated.id === id).at(-1)!;
  expect(last.errors).toBeUndefined();
  const { referral: asRead } = await gql(ReferralDocument, { id }, localProvider);
  expect(last.data!.referralUpdated).toMatchObject({ id, status: 'COMPLETED', version: asRead.version, appointmentPlace: 'Clinic, room 4', patientId: patientOne() });
  expect(last.data!.referralUpdated.timeline.map((event) => event.toStatus)).toEqual(asRead.timeline.map((event) => event.toStatus));
}, 60_000);

it('the second program (which treats the patient too) and the other recipient organization receive nothing of it', async () => {
  const ours = await sent(clinician, patientOne(), localProvider);
  // Events reach a subscription in the order published: once their own is there, ours was passed over.
  const practices = await sent(clinician, patientOne(), practice);
  const programTwos = await sent(second.clinician, second.ownPatientId, practice);
  await untilStatuses(watching.clinicianOnA, ours.id, 1);
  expect(await untilStatuses(watching.practiceOnA, practices.id, 1)).toEqual(['REQUESTED']);
  expect(await untilStatuses(watching.practiceOnA, programTwos.id, 1)).toEqual(['REQUESTED']);
  expect(await untilStatuses(watching.programTwoOnA, programTwos.id, 1)).toEqual(['REQUESTED']);
  expect(await untilStatuses(watching.programTwoAdminOnB, programTwos.id, 1)).toEqual(['REQUESTED']);
  expect(await untilStatuses(watching.localProviderOnB, ours.id, 1)).toEqual(['REQUESTED']);

  for (const subscriber of [watching.practiceOnA, watching.programTwoOnA, watching.programTwoAdminOnB]) expect(has(subscriber, ours.id)).toBe(false);
  for (const subscriber of [watching.programTwoOnA, watching.programTwoAdminOnB, watching.localProviderOnB]) expect(has(subscriber, practices.id)).toBe(false);
  // Nor the first program, nor the local provider, anything of the second program's referral.
  for (const subscriber of [watching.clinicianOnA, watching.adminOnB, watching.localProviderOnB]) expect(has(subscriber, programTwos.id)).toBe(false);
  for (const subscriber of Object.values(watching) as Watcher[]) expect(subscriber.results.filter((result) => result.errors)).toEqual([]);
}, 60_000);

it('a draft and a draft cancelled unsent are the sender’s alone; a cancellation after sending and a failed delivery reach both sides', async () => {
  const unsent = await draft(clinician, patientOne(), localProvider);
  await gql(CancelReferralDocument, { id: unsent.id, expectedVersion: unsent.version, reason: 'Written by mistake' }, clinician);
  // Each event is read when it arrives: the next move waits until both sides had the sending, so each shows its own state.
  const sides = [watching.clinicianOnA, watching.localProviderOnB];
  const withdrawn = await sent(clinician, patientOne(), localProvider);
  const undelivered = await sent(clinician, patientOne(), localProvider);
  for (const subscriber of sides) for (const { id } of [withdrawn, undelivered]) await untilStatuses(subscriber, id, 1);
  await gql(CancelReferralDocument, { id: withdrawn.id, expectedVersion: withdrawn.version, reason: 'Admitted to hospital' }, clinician);
  expect(await markDeliveryFailed(h.orm.em, undelivered.id, 'WEBHOOK_HTTP_500')).toBe(true);

  expect(await untilStatuses(watching.clinicianOnA, unsent.id, 1)).toEqual(['CANCELLED']);
  for (const subscriber of sides) {
    expect(await untilStatuses(subscriber, withdrawn.id, 2)).toEqual(['REQUESTED', 'CANCELLED']);
    expect(await untilStatuses(subscriber, undelivered.id, 2)).toEqual(['REQUESTED', 'FAILED']);
  }
  expect(has(watching.localProviderOnB, unsent.id)).toBe(false);
  const { referral } = await gql(ReferralDocument, { id: withdrawn.id }, localProvider);
  expect(referral.status).toBe('CANCELLED');
  const refused = await h.graphql(ReferralDocument, { id: unsent.id }, await h.token(localProvider));
  expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const { referralsReceived } = await gql(ReferralsReceivedDocument, { status: 'CANCELLED', first: 100 }, localProvider);
  const listed = referralsReceived.edges.map((edge) => edge.node.id);
  expect(listed).toContain(withdrawn.id);
  expect(listed).not.toContain(unsent.id);
}, 60_000);

it('referralId filters to one referral; a referral not yours is NOT_FOUND at once; roles on neither side are FORBIDDEN', async () => {
  const watched = await sent(clinician, patientOne(), localProvider);
  const other = await sent(clinician, patientOne(), localProvider);
  const onB = await subscriptionsUrl(instanceB);
  const onlyOne = subscribe(onB, await h.token(localProvider), ReferralUpdatedDocument, { referralId: watched.id });
  const notTheirs = subscribe(onB, await h.token(practice), ReferralUpdatedDocument, { referralId: watched.id });
  const otherProgram = subscribe(onB, await h.token(second.clinician), ReferralUpdatedDocument, { referralId: watched.id });
  const pharmacist = subscribe(onB, await h.token(world.claims[Role.PHARMACIST]), ReferralUpdatedDocument, {});
  const patient = subscribe(onB, await h.token(world.claims[Role.PATIENT]), ReferralUpdatedDocument, {});
  try {
    await warmUp(patientOne(), watched.id, () => has(onlyOne, watched.id));
    await gql(ReceiveReferralDocument, { id: other.id, expectedVersion: other.version }, localProvider);
    await gql(ReceiveReferralDocument, { id: watched.id, expectedVersion: watched.version }, localProvider);
    await until(async () => statusesOf(onlyOne, watched.id), (statuses) => statuses.includes('RECEIVED'), 20_000);
    expect(has(onlyOne, other.id)).toBe(false);
    expect(await untilStatuses(watching.localProviderOnB, other.id, 2)).toEqual(['REQUESTED', 'RECEIVED']);

    const refusals = await until(async () => [notTheirs, otherProgram, pharmacist, patient].map((each) => each.results[0]?.errors?.[0]), (all) => all.every(Boolean), 10_000);
    expect(refusals.map((error) => error?.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN']);
  } finally {
    await Promise.all([onlyOne, notTheirs, otherProgram, pharmacist, patient].map((each) => each.stop()));
  }
}, 60_000);
