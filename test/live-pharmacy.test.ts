import type { Redis } from 'ioredis';
import type { App } from '../src/app';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { createRedis } from '../src/jobs/redis';
import { channelOf, type LiveTopic } from '../src/live/topics';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { Delivery } from '../src/modules/pharmacy/delivery.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import {
  ConfirmDispensedDocument,
  DeliveryStatusChangedDocument,
  DispenseDocument,
  FillRecordedDocument,
  SetDeliveryStatusDocument,
  type DeliveryStatusChangedSubscription,
  type FillRecordedSubscription,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { publishUntil, startSecondInstance, subscribe, subscriptionsUrl, type LiveSubscriber } from './helpers/live';
import { deliveryEvent, postEvent, webhookSource } from './helpers/pharmacy';
import { addRoutedPrescription } from './helpers/routed-prescriptions';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Fills and deliveries live: a pharmacist's confirmDispensed and a pharmacy's signed webhook event
 * each queue a `live.publish` job through the outbox in their own transaction; the worker publishes
 * ids to Redis; two API instances deliver each event over graphql-ws to the subscribers the policy
 * lets read it (as `dispense` and a prescription's `deliveries` would).
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let instanceB: App;
let workers: { stop(): Promise<void> };
let spy: Redis;
const published: { channel: string; message: string }[] = [];

let pharmacist: TokenClaims;
let pharmacyId: string;
let secret: string;
const sourceKey = 'live-pharmacy';
let patient: Patient;
let mrn: string;

type FillWatcher = LiveSubscriber<FillRecordedSubscription>;
type DeliveryWatcher = LiveSubscriber<DeliveryStatusChangedSubscription>;
interface Watching<S> {
  prescriberOnA: S;
  therapistOnB: S;
  programTwoOnA: S;
  pcpOnB: S;
  patientOnA: S;
}
let fills: Watching<FillWatcher>;
let deliveries: Watching<DeliveryWatcher>;

const fillIdsOf = (subscriber: FillWatcher) => subscriber.results.flatMap((result) => (result.data ? [result.data.fillRecorded.id] : []));
const deliveryIdsOf = (subscriber: DeliveryWatcher) => subscriber.results.flatMap((result) => (result.data ? [result.data.deliveryStatusChanged.id] : []));
const hasFill = (subscriber: FillWatcher, id: string) => fillIdsOf(subscriber).includes(id);
const deliveryEventsOf = (subscriber: DeliveryWatcher, id: string) => deliveryIdsOf(subscriber).filter((each) => each === id).length;

const channel = (topic: LiveTopic) => channelOf(h.config.QUEUE_PREFIX, topic);
const publishesOf = (topic: LiveTopic, recordId: string) =>
  published.filter((each) => each.channel === channel(topic) && (JSON.parse(each.message) as { recordId: string }).recordId === recordId).length;

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const today = () => new Date().toISOString().slice(0, 10);

async function prescription(patientId: string, prescriber: TokenClaims, drugName?: string) {
  return addRoutedPrescription(h.orm.em, { patientId, programId: prescriber.organizationId!, prescriberId: prescriber.userId, pharmacyId, drugName });
}

/** The pharmacist confirms the first fill dispensed (the real mutation); resolves to the Dispense's id. */
async function confirmDispensed(rxNumber: string): Promise<string> {
  const result = await h.graphql(
    ConfirmDispensedDocument,
    { input: { prescriptionRef: rxNumber, fillNumber: 0, quantity: 30, daysSupply: 30, ndc: '0002-3227-30', lotNumber: 'LOT1', dispensedOn: today() } },
    await h.token(pharmacist),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.confirmDispensed.dispense.id;
}

const allImported = () => until(() => h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY, state: InboxState.RECEIVED }), (count) => count === 0, 20_000);

/** Posts a signed delivery event about `rxNumber` of `named`; resolves to the delivery once imported. */
async function webhook(rxNumber: string, named: { mrn: string; birthDate: string }, eventId: string, status: string, occurredAt: string): Promise<Delivery> {
  const answer = await postEvent(h, sourceKey, secret, deliveryEvent({ source: sourceKey, rxNumber, ...named }, eventId, status, occurredAt));
  expect(answer.status).toBeLessThan(300);
  await allImported();
  return until(
    () => h.orm.em.fork().findOne(Delivery, { prescription: { rxNumber } }),
    (found) => found !== null,
    20_000,
  ) as Promise<Delivery>;
}

async function untilFillDelivered(subscribers: FillWatcher[], id: string) {
  await until(async () => subscribers.every((subscriber) => hasFill(subscriber, id)), Boolean, 20_000);
  return subscribers.map((subscriber) => hasFill(subscriber, id));
}

async function untilDeliveryEvents(subscribers: DeliveryWatcher[], id: string, count: number) {
  await until(async () => subscribers.every((subscriber) => deliveryEventsOf(subscriber, id) >= count), Boolean, 20_000);
  return subscribers.map((subscriber) => deliveryEventsOf(subscriber, id));
}

/** Publishes an event again (as another process would) until every subscriber named has it: they are all listening then. */
const warmUp = (topic: LiveTopic, patientId: string, recordId: string, received: () => boolean) => publishUntil(h, topic, [{ patientId, recordId }], received);

let ownPatient: { id: string; mrn: string; birthDate: string };

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  // The second program no longer treats the world's patient: its clinician has no care of them.
  await h.orm.em.fork().nativeUpdate(Enrollment, { patient: world.patients[0].id, program: second.iopId }, { status: EnrollmentStatus.DISCHARGED, endedAt: new Date() });
  pharmacist = world.claims[Role.PHARMACIST];
  pharmacyId = pharmacist.organizationId!;
  ({ secret } = await webhookSource(h, world.claims[Role.ADMIN], pharmacyId, sourceKey));
  patient = await h.orm.em.fork().findOneOrFail(Patient, { id: world.patients[0].id });
  mrn = (await h.orm.em.fork().findOneOrFail(PatientIdentifier, { patient: patient.id, organization: world.iopId, system: '' })).value;
  const em = h.orm.em.fork();
  const own = await em.findOneOrFail(Patient, { id: second.ownPatientId });
  em.persist(new PatientIdentifier(own, em.getReference(Organization, second.iopId), 'MRN-SECOND-1'));
  await em.flush();
  ownPatient = { id: own.id, mrn: 'MRN-SECOND-1', birthDate: own.birthDate };
  // The partner may see the patient's medications, not their Part 2 data.
  await signConsent(h, world, await requestConsent(h, world, { categories: ['MEDICATIONS'] }));

  spy = createRedis(h.config.REDIS_URL, 'client');
  spy.on('pmessage', (_pattern: string, channelName: string, message: string) => published.push({ channel: channelName, message }));
  await spy.psubscribe(`${h.config.QUEUE_PREFIX}:live:*`);

  instanceB = await startSecondInstance(h);
  const [onA, onB] = [await subscriptionsUrl(h.app), await subscriptionsUrl(instanceB)];
  const watch = async <T, V>(document: Parameters<typeof subscribe<T, V>>[2], url: string, claims: TokenClaims) => subscribe<T, V>(url, await h.token(claims), document, {} as V);
  const watchAll = async <T, V>(document: Parameters<typeof subscribe<T, V>>[2]) => ({
    prescriberOnA: await watch<T, V>(document, onA, world.claims[Role.IOP_CLINICIAN]),
    therapistOnB: await watch<T, V>(document, onB, world.therapist),
    programTwoOnA: await watch<T, V>(document, onA, second.clinician),
    pcpOnB: await watch<T, V>(document, onB, world.claims[Role.PCP]),
    patientOnA: await watch<T, V>(document, onA, world.claims[Role.PATIENT]),
  });
  fills = await watchAll(FillRecordedDocument);
  deliveries = await watchAll(DeliveryStatusChangedDocument);
  workers = startTestWorkers(h);

  // Every subscription listens: a fill and a delivery each side may see, published again until all have them.
  const ours = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const theirs = await prescription(ownPatient.id, second.clinician);
  const ourFill = await confirmDispensed(ours.rxNumber!);
  const theirFill = await confirmDispensed(theirs.rxNumber!);
  const ourDelivery = await webhook(ours.rxNumber!, { mrn, birthDate: patient.birthDate }, 'live-warm-1', 'PROCESSING', at(30));
  const theirDelivery = await webhook(theirs.rxNumber!, ownPatient, 'live-warm-2', 'PROCESSING', at(30));
  const ourFills = [fills.prescriberOnA, fills.therapistOnB, fills.pcpOnB, fills.patientOnA];
  const ourDeliveries = [deliveries.prescriberOnA, deliveries.therapistOnB, deliveries.pcpOnB, deliveries.patientOnA];
  await warmUp('fillRecorded', patient.id, ourFill, () => ourFills.every((subscriber) => hasFill(subscriber, ourFill)));
  await warmUp('fillRecorded', ownPatient.id, theirFill, () => hasFill(fills.programTwoOnA, theirFill));
  await warmUp('deliveryStatusChanged', patient.id, ourDelivery.id, () => ourDeliveries.every((subscriber) => deliveryEventsOf(subscriber, ourDelivery.id) > 0));
  await warmUp('deliveryStatusChanged', ownPatient.id, theirDelivery.id, () => deliveryEventsOf(deliveries.programTwoOnA, theirDelivery.id) > 0);
}, 90_000);

afterAll(async () => {
  await Promise.all([...Object.values(fills), ...Object.values(deliveries)].map((subscriber: { stop(): Promise<void> }) => subscriber.stop()));
  await workers.stop();
  await instanceB.close();
  await spy.quit();
  await h.close();
});

it("delivers fillRecorded after a pharmacist's confirmDispensed to the prescribing program's care team and the patient, shown as `dispense` shows it", async () => {
  const { rxNumber } = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const dispenseId = await confirmDispensed(rxNumber!);
  const mayRead = [fills.prescriberOnA, fills.therapistOnB, fills.pcpOnB, fills.patientOnA];
  expect(await untilFillDelivered(mayRead, dispenseId)).toEqual(mayRead.map(() => true));
  expect(publishesOf('fillRecorded', dispenseId)).toBe(1);

  const event = fills.prescriberOnA.results.find((result) => result.data?.fillRecorded.id === dispenseId)!;
  expect(event.errors).toBeUndefined();
  const asRead = await h.graphql(DispenseDocument, { id: dispenseId }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(event.data!.fillRecorded).toEqual(asRead.data!.dispense);
  expect(event.data!.fillRecorded).toMatchObject({ fillStatus: 'DISPENSED', fillNumber: 0, categories: [DataCategory.MEDICATIONS] });
  const rows = await h.orm.em.fork().find(AuditEvent, { operation: 'subscription FillRecorded', userId: world.claims[Role.PCP].userId, patientId: patient.id });
  expect(rows.length).toBe(fillIdsOf(fills.pcpOnB).length);
}, 60_000);

it("sends the second program's clinician, who has no care of the patient, nothing of their fills and deliveries", async () => {
  const ours = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const ourFill = await confirmDispensed(ours.rxNumber!);
  const ourDelivery = await webhook(ours.rxNumber!, { mrn, birthDate: patient.birthDate }, 'live-other-1', 'SHIPPED', at(20));
  // Events reach a subscription in the order published: once the program's own are there, ours were passed over.
  const theirs = await prescription(ownPatient.id, second.clinician);
  const theirFill = await confirmDispensed(theirs.rxNumber!);
  const theirDelivery = await webhook(theirs.rxNumber!, ownPatient, 'live-other-2', 'SHIPPED', at(20));
  await untilFillDelivered([fills.prescriberOnA], ourFill);
  expect(await untilFillDelivered([fills.programTwoOnA], theirFill)).toEqual([true]);
  expect(await untilDeliveryEvents([deliveries.programTwoOnA], theirDelivery.id, 1)).toEqual([1]);
  expect(await untilDeliveryEvents([deliveries.prescriberOnA], ourDelivery.id, 1)).toEqual([1]);
  expect(hasFill(fills.programTwoOnA, ourFill)).toBe(false);
  expect(deliveryEventsOf(deliveries.programTwoOnA, ourDelivery.id)).toBe(0);
  // Nor the first program anything of the second's patient.
  for (const subscriber of [fills.prescriberOnA, fills.pcpOnB, fills.patientOnA]) expect(hasFill(subscriber, theirFill)).toBe(false);
  expect(deliveryEventsOf(deliveries.prescriberOnA, theirDelivery.id)).toBe(0);
  for (const subscriber of [...Object.values(fills), ...Object.values(deliveries)]) expect((subscriber as FillWatcher).results.filter((result) => result.errors)).toEqual([]);
}, 60_000);

it('sends a MOUD fill (SUD) to the partner only under a consent that lists SUD, with the redisclosure notice', async () => {
  const buprenorphine = 'Buprenorphine/Naloxone 8 mg/2 mg film';
  const moud = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN], buprenorphine);
  const withoutSud = await confirmDispensed(moud.rxNumber!);
  await untilFillDelivered([fills.prescriberOnA, fills.patientOnA], withoutSud);
  const event = fills.prescriberOnA.results.find((result) => result.data?.fillRecorded.id === withoutSud)!;
  expect(event.data!.fillRecorded.categories).toEqual(expect.arrayContaining([DataCategory.SUD]));
  expect(event.extensions).toEqual({ redisclosureNotice: expect.stringContaining('42 CFR part 2') as unknown });

  await signConsent(h, world, await requestConsent(h, world, { categories: ['MEDICATIONS', 'SUD'] }));
  const next = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN], buprenorphine);
  const withSud = await confirmDispensed(next.rxNumber!);
  expect(await untilFillDelivered([fills.pcpOnB], withSud)).toEqual([true]);
  expect(hasFill(fills.pcpOnB, withoutSud)).toBe(false);
  expect(fills.pcpOnB.results.find((result) => result.data?.fillRecorded.id === withSud)!.extensions).toEqual({ redisclosureNotice: expect.any(String) as unknown });
}, 60_000);

it('delivers deliveryStatusChanged once per applied webhook event; a duplicate publishes nothing', async () => {
  const { rxNumber } = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const named = { mrn, birthDate: patient.birthDate };
  const shippedAt = at(60);
  const delivery = await webhook(rxNumber!, named, 'live-dup-1', 'SHIPPED', shippedAt);
  const mayRead = [deliveries.prescriberOnA, deliveries.therapistOnB, deliveries.pcpOnB, deliveries.patientOnA];
  expect(await untilDeliveryEvents(mayRead, delivery.id, 1)).toEqual(mayRead.map(() => 1));
  const event = deliveries.patientOnA.results.find((result) => result.data?.deliveryStatusChanged.id === delivery.id)!;
  expect(event.data!.deliveryStatusChanged).toMatchObject({ status: 'SHIPPED', fillNumber: 0, history: [{ eventId: 'live-dup-1', status: 'SHIPPED' }] });

  // The same event again, then a new one: only the new one is published.
  await webhook(rxNumber!, named, 'live-dup-1', 'SHIPPED', shippedAt);
  await webhook(rxNumber!, named, 'live-dup-2', 'OUT_FOR_DELIVERY', at(30));
  expect(await untilDeliveryEvents(mayRead, delivery.id, 2)).toEqual(mayRead.map(() => 2));
  expect(publishesOf('deliveryStatusChanged', delivery.id)).toBe(2);
  const latest = deliveries.prescriberOnA.results.filter((result) => result.data?.deliveryStatusChanged.id === delivery.id).at(-1)!;
  expect(latest.data!.deliveryStatusChanged.history.map((each) => each.eventId)).toEqual(['live-dup-1', 'live-dup-2']);
}, 60_000);

it("publishes a pharmacist's setDeliveryStatus, an older event that only adds to the history too; a refused update publishes nothing", async () => {
  // A pharmacist reports under a consent naming their pharmacy.
  await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [pharmacyId], categories: ['MEDICATIONS'] }));
  const { id: prescriptionId } = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const token = await h.token(pharmacist);
  const set = (input: { fillNumber: number; status: 'SHIPPED' | 'RECEIVED'; occurredAt: string; shipment?: { carrier: string; trackingNumber: string } }) =>
    h.graphql(SetDeliveryStatusDocument, { prescriptionId, input }, token);
  const shipped = await set({ fillNumber: 0, status: 'SHIPPED', occurredAt: at(10), shipment: { carrier: 'UPS', trackingNumber: '1Z2' } });
  expect(shipped.errors).toBeUndefined();
  const deliveryId = shipped.data!.setDeliveryStatus.delivery.id;
  const refused = await set({ fillNumber: 0, status: 'SHIPPED', occurredAt: at(5) });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const older = await set({ fillNumber: 0, status: 'RECEIVED', occurredAt: at(20) });
  expect(older.data!.setDeliveryStatus.delivery.status).toBe('SHIPPED');

  expect(await untilDeliveryEvents([deliveries.prescriberOnA, deliveries.patientOnA], deliveryId, 2)).toEqual([2, 2]);
  expect(publishesOf('deliveryStatusChanged', deliveryId)).toBe(2);
  const latest = deliveries.prescriberOnA.results.filter((result) => result.data?.deliveryStatusChanged.id === deliveryId).at(-1)!;
  expect(latest.data!.deliveryStatusChanged).toMatchObject({ status: 'SHIPPED', history: [{ status: 'RECEIVED' }, { status: 'SHIPPED' }] });
}, 60_000);

it('publishes a burst of events for one patient, duplicates among them, once per event applied', async () => {
  const { rxNumber } = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
  const named = { mrn, birthDate: patient.birthDate };
  const statuses = ['PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'EXCEPTION', 'OUT_FOR_DELIVERY', 'DELIVERED'];
  const bodies = statuses.map((status, index) => deliveryEvent({ source: sourceKey, rxNumber: rxNumber!, ...named }, `live-burst-${index}`, status, at(60 - index * 5)));
  // Each event is posted twice, all at once.
  const answers = await Promise.all([...bodies, ...bodies].map((body) => postEvent(h, sourceKey, secret, body)));
  for (const answer of answers) expect(answer.status).toBeLessThan(300);
  await allImported();
  const delivery = await h.orm.em.fork().findOneOrFail(Delivery, { prescription: { rxNumber } });
  const mayRead = [deliveries.prescriberOnA, deliveries.pcpOnB, deliveries.patientOnA];
  expect(await untilDeliveryEvents(mayRead, delivery.id, statuses.length)).toEqual(mayRead.map(() => statuses.length));
  expect(publishesOf('deliveryStatusChanged', delivery.id)).toBe(statuses.length);
  expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'live.publish', payload: { recordId: delivery.id } })).toBe(statuses.length);
  expect(delivery.status).toBe('DELIVERED');
}, 60_000);

it('writes the publish with the fill, and publishes it once workers come back after a stop', async () => {
  await workers.stop();
  let restarted = false;
  try {
    const { rxNumber } = await prescription(patient.id, world.claims[Role.IOP_CLINICIAN]);
    const dispenseId = await confirmDispensed(rxNumber!);
    const pending = await h.orm.em.fork().find(OutboxMessage, { jobName: 'live.publish', payload: { recordId: dispenseId } });
    expect(pending.map((row) => row.payload)).toEqual([{ topic: 'fillRecorded', patientId: patient.id, recordId: dispenseId }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishesOf('fillRecorded', dispenseId)).toBe(0);
    workers = startTestWorkers(h);
    restarted = true;
    expect(await untilFillDelivered([fills.prescriberOnA, fills.patientOnA], dispenseId)).toEqual([true, true]);
    expect(publishesOf('fillRecorded', dispenseId)).toBe(1);
  } finally {
    if (!restarted) workers = startTestWorkers(h);
  }
}, 60_000);

it('puts ids only into Redis, never PHI', () => {
  const messages = published.filter((each) => each.channel === channel('fillRecorded') || each.channel === channel('deliveryStatusChanged'));
  expect(messages.length).toBeGreaterThan(10);
  const uuid = /^[0-9a-f-]{36}$/;
  for (const { message } of messages) {
    const parsed = JSON.parse(message) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['patientId', 'recordId']);
    expect(parsed.patientId).toMatch(uuid);
    expect(parsed.recordId).toMatch(uuid);
  }
  const everything = messages.map(({ message }) => message).join('\n');
  for (const phi of [patient.givenName, patient.familyName, patient.birthDate, mrn, 'Sertraline', 'Buprenorphine', 'LOT1']) expect(everything).not.toContain(phi);
});
