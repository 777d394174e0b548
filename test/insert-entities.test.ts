import { Role } from '../src/auth/roles';
import { insertEntities } from '../src/db/insert-entities';
import { outboxMessage } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { InboxMessage, InboxSource } from '../src/modules/ingest/inbox-message.entity';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { LabOrder, LabOrderStatus } from '../src/modules/labs/lab-order.entity';
import { EffectiveTimeSource, LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/**
 * The batch import writes new records with plain statements (`insertEntities`): what it writes
 * reads back through the ORM exactly as a flush of the same entities would have written it.
 */
let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

/** Every column the ORM maps, as the ORM reads it back (the id and creation time aside for serial keys). */
const stored = async <T extends object>(entityClass: new (...args: never[]) => T, id: string | number) => {
  const row = await h.orm.em.fork().findOneOrFail(entityClass as never, { id });
  return JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
};

it('writes a lab result, an order, an alert and an outbox row as a flush would, each with its own and its inherited columns', async () => {
  const em = h.orm.em.fork();
  const patient = world.patients[0];
  const lab = em.getReference(Organization, world.claims[Role.LAB].organizationId!);
  const provenance = { sourceOrganization: lab, sourceSystem: 'LABSYS', sourceRecordId: 'ORDER-1/1', receivedAt: new Date('2026-12-01T08:00:00.000Z'), inboxMessageId: null };
  const viaFlush = (entity: object) => em.fork().persist(entity).flush();
  const result = () =>
    new LabResult(patient, provenance, {
      loincCode: '14334-7',
      testName: 'Lithium "serum" \\ level?',
      valueNumeric: 1.8,
      unit: 'mmol/L',
      referenceLow: 0.6,
      referenceHigh: 1.2,
      abnormalFlag: 'HH',
      status: ResultStatus.PRELIMINARY,
      effectiveAt: new Date('2026-12-01T07:00:00.000Z'),
      effectiveTimeSource: EffectiveTimeSource.COLLECTION_TIME,
      resultKey: 'ORDER-1|14334-7|',
      comment: "line one\nline two, it's 'quoted'",
    });
  const [inserted, flushed] = [result(), result()];
  inserted.supersede(flushed, new Date('2026-12-01T09:00:00.000Z'));
  await viaFlush(flushed);
  const order = new LabOrder(patient, { ...provenance, sourceRecordId: 'ORDER-1/order/1' }, {
    orderId: 'ORDER-1',
    testName: 'Lithium',
    loincCode: '14334-7',
    status: LabOrderStatus.FINAL,
    statusChangedAt: null,
    comment: null,
  });
  const alert = new CriticalAlert(patient, inserted, 'lithium-high@1', 'Lithium above 1.5 mmol/L');
  const outbox = outboxMessage('lab-results', 'critical.raised', { alertId: alert.id });

  await em.transactional((tx) => insertEntities(tx, [inserted, order, alert, outbox]));

  const [insertedRow, flushedRow] = [await stored(LabResult, inserted.id), await stored(LabResult, flushed.id)];
  expect(insertedRow).toEqual({
    ...flushedRow,
    id: inserted.id,
    createdAt: inserted.createdAt.toISOString(),
    supersededAt: '2026-12-01T09:00:00.000Z',
    supersededById: flushed.id,
  });
  expect(insertedRow).toMatchObject({ kind: 'LAB_RESULT', testName: 'Lithium "serum" \\ level?', comment: "line one\nline two, it's 'quoted'", categories: [DataCategory.LABS] });
  expect(await stored(LabOrder, order.id)).toMatchObject({ kind: 'LAB_ORDER', orderId: 'ORDER-1', orderStatus: LabOrderStatus.FINAL, patient: patient.id, statusChangedAt: null });
  expect(await stored(CriticalAlert, alert.id)).toMatchObject({ labResult: inserted.id, patient: patient.id, status: 'OPEN', acknowledgedAt: null });
  // The serial key is the database's; the payload stays JSON.
  const row = await h.orm.em.fork().findOneOrFail(OutboxMessage, { jobKey: outbox.jobKey });
  expect(row).toMatchObject({ queue: 'lab-results', jobName: 'critical.raised', payload: { alertId: alert.id }, relayedAt: null });
});

it('writes bytes as they were and nothing when given nothing', async () => {
  const em = h.orm.em.fork();
  const raw = Buffer.from([0x00, 0x5c, 0xff, 0x27, 0x0d]);
  const message = new InboxMessage({ source: InboxSource.HL7V2, sourceOrganizationId: null, sourceMessageId: 'BYTES-1', contentType: 'x-application/hl7-v2+er7', headers: { 'x-a': "it's" }, raw, charset: 'utf-8' });
  await em.transactional(async (tx) => {
    await insertEntities(tx, []);
    await insertEntities(tx, [message]);
  });
  const row = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id });
  expect(row.raw.equals(raw)).toBe(true);
  expect(row.headers).toEqual({ 'x-a': "it's" });
  expect(row.contentHash).toBe(message.contentHash);
});
