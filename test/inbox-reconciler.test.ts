import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { OutboxRelay } from '../src/jobs/outbox-relay';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { reconcileInbox } from '../src/modules/ingest/inbox-reconciler';
import { createLogger } from '../src/logger';
import { Patient } from '../src/modules/patients/patient.entity';
import { deleteKeys, startHarness, type Harness } from './helpers/harness';
import { sendHl7Message } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** Redis loses every job (restarted without persistence): accepted messages are imported all the same, once. */
let h: Harness;
let world: World;
const silent = createLogger('silent');

beforeAll(async () => {
  h = await startHarness({ INBOX_RECONCILE_SECONDS: '0.2', INBOX_RECONCILE_AFTER_SECONDS: '0.3' });
  world = await seedWorld(h.orm.em.fork());
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
});
afterAll(() => h.close());

const hl7 = (controlId: string) => readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1').replace('LAB-0001', controlId);
const fhir = (id: string) => readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8').replace('maple-export-0001', id);

async function accept(url: string, contentType: string, role: Role, body: string) {
  const response = await h.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, authorization: `Bearer ${await h.token(world.claims[role])}` }, payload: body });
  expect(response.statusCode).toBeLessThan(300);
}

it('queues again what was accepted and relayed when Redis lost the jobs, and nothing that is still queued', async () => {
  await accept('/ingest/hl7', 'x-application/hl7-v2+er7', Role.LAB, hl7('LAB-LOST'));
  await accept('/ingest/fhir', 'application/fhir+json', Role.PCP, fhir('bundle-lost'));
  const relay = new OutboxRelay(h.orm, h.queues, silent, { batchSize: 100, pollIntervalMs: 50 });
  expect(await relay.relayOnce()).toBeGreaterThanOrEqual(2);
  await new Promise((resolve) => setTimeout(resolve, 400));
  // The jobs are waiting in Redis: nothing to do.
  expect(await reconcileInbox(h.orm, h.queues, silent, 0.3)).toBe(0);

  // Redis restarts empty: the jobs are gone, the outbox rows say they were relayed.
  await deleteKeys(h.redis, `${h.config.QUEUE_PREFIX}:*`);
  const workers = startTestWorkers(h);
  try {
    const messages = await until(
      () => h.orm.em.fork().find(InboxMessage, { sourceMessageId: { $in: ['LAB-LOST', 'bundle-lost'] } }),
      (found) => found.every((message) => message.state === InboxState.PROCESSED),
    );
    expect(messages.map((message) => message.state)).toEqual([InboxState.PROCESSED, InboxState.PROCESSED]);
    for (const message of messages) expect(await h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: message.id })).toBeGreaterThan(0);
    expect(await h.orm.em.fork().count(OutboxMessage, { payload: { inboxMessageId: messages[0].id } })).toBe(2);
  } finally {
    await workers.stop();
  }
});

it('leaves a processed message alone however long ago it came', async () => {
  const workers = startTestWorkers(h);
  try {
    const { message } = await sendHl7Message(h, await h.token(world.claims[Role.LAB]), hl7('LAB-DONE'));
    expect(message?.state).toBe(InboxState.PROCESSED);
    await deleteKeys(h.redis, `${h.config.QUEUE_PREFIX}:*`);
    expect(await reconcileInbox(h.orm, h.queues, silent, 0)).toBe(0);
  } finally {
    await workers.stop();
  }
});
