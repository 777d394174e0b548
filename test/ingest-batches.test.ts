import { randomUUID } from 'node:crypto';
import { Role } from '../src/auth/roles';
import { initOrm } from '../src/db/orm';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { IngestService } from '../src/modules/ingest/ingest.service';
import { patientImportsKey } from '../src/modules/ingest/patient-imports-lock';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import type { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * The worker imports the messages it runs at once in batches (one transaction for many): the
 * same rules as one at a time, a batch's failure never another message's, and each message's
 * effect once however often its job runs.
 */
let h: Harness;
let world: World;
let labId: string;
const ingest = new IngestService();

const labMrn = (patient: Patient) => `BATCH-${patient.id.slice(0, 8)}`;
let controlIds = 0;

/** An ORU^R01 with one potassium result of `order`, reported by the lab at `reportedAt` (OBR-22). */
function oru(patient: Patient, order: string, value: string, reportedAt: string): { controlId: string; body: string } {
  const controlId = `BATCH-${++controlIds}`;
  const body = [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${labMrn(patient)}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`,
    `OBR|1|${order}|${order}-F|2823-3^Potassium^LN|||20261201070000|||||||||||||||${reportedAt}|||C`,
    `OBX|1|NM|2823-3^Potassium^LN||${value}|mmol/L|3.5-5.1|N|||C|||20261201070000`,
  ].join('\r');
  return { controlId, body };
}

/** Stores messages as the ingest route does (raw, RECEIVED) from `organizationId`; with `queue`, their import jobs too, in one commit. */
async function store(messages: { controlId: string; body: string }[], options: { queue: boolean; organizationId?: string }): Promise<InboxMessage[]> {
  const em = h.orm.em.fork();
  const stored = messages.map(
    ({ controlId, body }) =>
      new InboxMessage({
        source: InboxSource.HL7V2,
        sourceOrganizationId: options.organizationId ?? labId,
        sourceMessageId: controlId,
        contentType: 'x-application/hl7-v2+er7',
        headers: {},
        raw: Buffer.from(body, 'latin1'),
        charset: 'utf-8',
      }),
  );
  em.persist(stored);
  if (options.queue) for (const message of stored) addToOutbox(em, 'inbound-messages', 'message.received', { inboxMessageId: message.id });
  await em.flush();
  return stored;
}

const stateOf = async (messages: InboxMessage[]) =>
  (await h.orm.em.fork().find(InboxMessage, { id: { $in: messages.map((message) => message.id) } })).map((message) => message.state);

beforeAll(async () => {
  h = await startHarness({ WORKER_CONCURRENCY: '4', DATABASE_POOL_MAX: '10', JOB_ATTEMPTS: '1' });
  world = await seedWorld(h.orm.em.fork());
  labId = world.claims[Role.LAB].organizationId!;
  const em = h.orm.em.fork();
  const lab = em.getReference(Organization, labId);
  em.persist(world.patients.map((patient) => new PatientIdentifier(patient, lab, labMrn(patient), 'REGLAB')));
  await em.flush();
});
afterAll(async () => {
  await h.close();
});

it("imports a burst of one patient's messages, queued at once, in fewer transactions than messages, with the latest version current", async () => {
  const patient = world.patients[1];
  // 60 versions of one result, reported one minute apart, queued in an order that is not the lab's.
  const versions = Array.from({ length: 60 }, (_, index) => ({ index, reportedAt: `202612010${8 + Math.floor(index / 60)}${String(index % 60).padStart(2, '0')}00` }));
  const shuffled = [...versions].sort((a, b) => ((a.index * 37) % 61) - ((b.index * 37) % 61));
  const messages = shuffled.map(({ index, reportedAt }) => ({ index, ...oru(patient, 'BURST-1', `4.${index}`, reportedAt) }));
  // The seeded world's own jobs (enrolments) are not this test's: their rows are done already.
  await h.orm.em.fork().nativeUpdate(OutboxMessage, { doneAt: null }, { relayedAt: new Date(), doneAt: new Date() });
  const stored = await store(messages, { queue: true });
  h.sqlStatements.length = 0;
  const workers = startTestWorkers(h);
  try {
    await until(() => stateOf(stored), (states) => states.every((state) => state !== InboxState.RECEIVED), 60_000);
  } finally {
    await workers.stop();
  }
  expect(await stateOf(stored)).toEqual(stored.map(() => InboxState.PROCESSED));
  const results = await h.orm.em.fork().find(LabResult, { resultKey: { $like: 'BURST-1-F|%' } });
  expect(results).toHaveLength(60);
  const latest = messages.find(({ index }) => index === 59)!;
  expect(results.filter((result) => result.isCurrent).map((result) => result.sourceRecordId)).toEqual([`${latest.controlId}/1`]);
  // Every outbox row is done once its import committed: in the import's own transaction, never by a statement of its own after.
  expect(await h.orm.em.fork().count(OutboxMessage, { queue: 'inbound-messages', doneAt: null })).toBe(0);
  expect(h.sqlStatements.filter((statement) => /^update outbox_message set done_at/.test(statement))).toEqual([]);
  const imports = h.sqlStatements.filter((statement) => /^update "inbox_message" set "state"/.test(statement));
  expect(imports.length).toBeLessThan(messages.length / 2);
}, 90_000);

it("marks a batch's messages processed, and their outbox rows done, in the statement that writes their records", async () => {
  const [first, second] = world.patients;
  const stored = await store([oru(first, 'FOLD-1', '4.1', '20261201080000'), oru(second, 'FOLD-2', '4.2', '20261201080000')], { queue: true });
  const ids = stored.map((message) => message.id);
  const rowOf = async (id: string) =>
    (await h.orm.em.fork().find(OutboxMessage, { queue: 'inbound-messages' })).find((row) => row.payload.inboxMessageId === id)!;
  const rows = await Promise.all(ids.map(rowOf));
  h.sqlStatements.length = 0;

  const results = await ingest.importMessages(h.orm.em.fork(), ids, new Map(rows.map((row, index) => [ids[index], [row.jobId]])));

  for (const id of ids) expect(results.get(id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', outboxDone: true } });
  expect(await stateOf(stored)).toEqual([InboxState.PROCESSED, InboxState.PROCESSED]);
  expect((await Promise.all(ids.map(rowOf))).map((row) => row.doneAt)).toEqual([expect.any(Date), expect.any(Date)]);
  const writes = h.sqlStatements.filter((statement) => /(insert into|update) "?(clinical_record|inbox_message|outbox_message)/.test(statement));
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/update inbox_message set state .*update outbox_message set done_at .*insert into "clinical_record"/s);

  // Run again (a redelivered job): nothing is written but the rows' marks, which are there already.
  const again = await ingest.importMessages(h.orm.em.fork(), ids, new Map(rows.map((row, index) => [ids[index], [row.jobId]])));
  for (const id of ids) expect(again.get(id)).toMatchObject({ status: 'fulfilled', value: { status: 'SKIPPED', outboxDone: true } });
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: { $in: ids } })).toBe(2);
});

it("fails a message of a batch alone: the batch's other messages are imported, and it is rejected or fails as it would alone", async () => {
  const [first, second] = world.patients;
  const good = [oru(first, 'ALONE-1', '4.1', '20261201080000'), oru(second, 'ALONE-2', '4.2', '20261201080000')];
  // Stored as if accepted: one that is not an ORU^R01 at all, one from a lab no longer known (its records cannot be written).
  const unreadable = { controlId: 'BATCH-BROKEN', body: 'MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01^ORU_R01|BATCH-BROKEN|P|2.5.1' };
  const [firstGood, broken, secondGood] = [...(await store([good[0], unreadable, good[1]], { queue: false }))];
  // Its records (or its review) name the lost lab, which the database refuses: the write fails.
  const [unknownLab] = await store([oru(first, 'ALONE-3', '4.3', '20261201080000')], { queue: false, organizationId: randomUUID() });

  const results = await ingest.importMessages(h.orm.em.fork(), [firstGood.id, broken.id, unknownLab.id, secondGood.id]);

  expect(results.get(firstGood.id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', patientId: first.id } });
  expect(results.get(secondGood.id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', patientId: second.id } });
  expect(results.get(broken.id)).toMatchObject({ status: 'fulfilled', value: { status: 'REJECTED' } });
  expect(await stateOf([firstGood, broken, secondGood])).toEqual([InboxState.PROCESSED, InboxState.REJECTED, InboxState.PROCESSED]);
  expect(results.get(unknownLab.id)?.status).toBe('rejected');
  expect(await stateOf([unknownLab])).toEqual([InboxState.RECEIVED]);
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: { $in: [firstGood.id, secondGood.id] } })).toBe(2);
});

it('imports each message once when two batches share messages at the same moment (a redelivered job), and again changes nothing', async () => {
  const [first, second, third] = world.patients;
  const stored = await store(
    [oru(first, 'TWICE-1', '4.1', '20261201080000'), oru(second, 'TWICE-2', '4.2', '20261201080000'), oru(third, 'TWICE-3', '4.3', '20261201080000')],
    { queue: false },
  );
  const ids = stored.map((message) => message.id);
  const [forward, backward] = await Promise.all([
    ingest.importMessages(h.orm.em.fork(), [...ids, ids[0]]),
    ingest.importMessages(h.orm.em.fork(), [...ids].reverse()),
  ]);
  for (const id of ids) {
    const statuses = [forward.get(id), backward.get(id)].map((result) => (result?.status === 'fulfilled' ? result.value.status : result?.status)).sort();
    expect(statuses).toEqual(['PROCESSED', 'SKIPPED']);
  }
  const again = await ingest.importMessages(h.orm.em.fork(), ids);
  expect([...again.values()].map((result) => result.status === 'fulfilled' && result.value.status)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: { $in: ids } })).toBe(3);
  expect(await stateOf(stored)).toEqual([InboxState.PROCESSED, InboxState.PROCESSED, InboxState.PROCESSED]);
});

it("leaves a batch's message for later while its patient's imports run elsewhere, and imports the others", async () => {
  const [busy, free] = world.patients;
  const stored = await store([oru(busy, 'LATER-1', '4.1', '20261201080000'), oru(free, 'LATER-2', '4.2', '20261201080000')], { queue: false });
  await h.orm.em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`ingest:patient:${busy.id}`]);
    const results = await ingest.importMessages(h.orm.em.fork(), stored.map((message) => message.id));
    expect(results.get(stored[0].id)).toEqual({ status: 'fulfilled', value: { status: 'RETRY_LATER' } });
    expect(results.get(stored[1].id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED' } });
  });
  expect(await stateOf(stored)).toEqual([InboxState.RECEIVED, InboxState.PROCESSED]);
});

it("waits briefly for a patient's imports that another transaction is finishing, rather than leaving the message for later", async () => {
  const [busy, free] = world.patients;
  const stored = await store([oru(busy, 'WAIT-1', '4.1', '20261201080000'), oru(free, 'WAIT-2', '4.2', '20261201080000')], { queue: false });
  // Another transaction holds the patient's imports and commits 150 ms after the batch started.
  const { importing } = await h.orm.em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [patientImportsKey(busy.id)]);
    const started = ingest.importMessages(h.orm.em.fork(), stored.map((message) => message.id));
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { importing: started };
  });
  const results = await importing;
  expect(results.get(stored[0].id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', patientId: busy.id } });
  expect(results.get(stored[1].id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', patientId: free.id } });
  expect(await stateOf(stored)).toEqual([InboxState.PROCESSED, InboxState.PROCESSED]);
});

it("takes a batch's patients in one order: while it waits for one, another batch imports a patient it has not reached", async () => {
  const keyOf = async (patient: Patient) => {
    const [{ key }] = await h.orm.em.fork().execute<{ key: number }[]>('select hashtext(?) as key', [patientImportsKey(patient.id)]);
    return { patient, key };
  };
  // `first` comes before `second` in lock order.
  const [first, second] = (await Promise.all(world.patients.slice(0, 2).map(keyOf))).sort((a, b) => a.key - b.key).map(({ patient }) => patient);
  const waiting = await store([oru(first, 'ORDER-1', '4.1', '20261201080000'), oru(second, 'ORDER-2', '4.2', '20261201080000')], { queue: false });
  const [other] = await store([oru(second, 'ORDER-3', '4.3', '20261201080000')], { queue: false });
  const { importing } = await h.orm.em.fork().transactional(async (tx) => {
    // Another transaction holds `first`'s imports: the batch of both patients waits for it, and has not taken `second` yet.
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [patientImportsKey(first.id)]);
    const started = ingest.importMessages(h.orm.em.fork(), waiting.map((message) => message.id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const results = await ingest.importMessages(h.orm.em.fork(), [other.id]);
    expect(results.get(other.id)).toMatchObject({ status: 'fulfilled', value: { status: 'PROCESSED', patientId: second.id } });
    expect(await stateOf(waiting)).toEqual([InboxState.RECEIVED, InboxState.RECEIVED]);
    return { importing: started };
  });
  await importing;
  // On a slow machine its wait may have run out first, leaving a message for later: its job's next run imports it.
  await ingest.importMessages(h.orm.em.fork(), waiting.map((message) => message.id));
  expect(await stateOf([...waiting, other])).toEqual([InboxState.PROCESSED, InboxState.PROCESSED, InboxState.PROCESSED]);
});

it("imports each message once with one current version when two worker processes' batches share one patient's burst and other patients'", async () => {
  const burstPatient = world.patients[2];
  const others = [world.patients[0], world.patients[1]];
  // Interleaved: the burst's versions (reported a minute apart) among other patients' results, each its own job.
  const burst = Array.from({ length: 40 }, (_, index) => oru(burstPatient, 'SHARED-BURST', `5.${index}`, `20261201${String(9 + Math.floor(index / 60)).padStart(2, '0')}${String(index % 60).padStart(2, '0')}00`));
  const mixed = burst.flatMap((message, index) => [message, oru(others[index % 2], `SHARED-${index}`, '4.0', '20261201080000')]);
  const stored = await store(mixed, { queue: true });
  // Two worker runtimes, each with its own ORM and pool (and so its own batches), as two processes have.
  const secondOrm = await initOrm(h.config);
  const first = startTestWorkers(h);
  const second = startTestWorkers({ ...h, orm: secondOrm });
  try {
    await until(() => stateOf(stored), (states) => states.every((state) => state !== InboxState.RECEIVED), 60_000);
  } finally {
    await Promise.all([first.stop(), second.stop()]);
    await secondOrm.close();
  }
  expect(await stateOf(stored)).toEqual(stored.map(() => InboxState.PROCESSED));
  const results = await h.orm.em.fork().find(LabResult, { inboxMessageId: { $in: stored.map((message) => message.id) } });
  expect(results).toHaveLength(mixed.length);
  const burstVersions = results.filter((result) => result.resultKey?.startsWith('SHARED-BURST-F|'));
  expect(burstVersions.filter((result) => result.isCurrent).map((result) => result.sourceRecordId)).toEqual([`${burst[burst.length - 1].controlId}/1`]);
  expect(await h.orm.em.fork().count(OutboxMessage, { queue: 'inbound-messages', doneAt: null })).toBe(0);
}, 90_000);
