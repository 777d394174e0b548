import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { FailedInboundMessagesDocument, ReprocessInboundMessageDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** A message accepted (AA) whose import fails for good is FAILED, visible, counted, and reprocessable. */
let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness({ JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' });
  world = await seedWorld(h.orm.em.fork());
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
});
afterAll(() => h.close());

const hl7 = readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1').replace('LAB-0001', 'LAB-FAILS');
const inboxState = (id: string) => h.orm.em.fork().findOneOrFail(InboxMessage, { id }).then((message) => message.state);

it('marks an HL7 message whose import fails on every attempt FAILED, tells the IOP admins, counts it, and imports it when reprocessed', async () => {
  const lab = await h.token(world.claims[Role.LAB]);
  const admin = await h.token(world.claims[Role.ADMIN]);
  const accepted = await h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${lab}` },
    payload: hl7,
  });
  expect(accepted.body).toContain('MSA|AA|LAB-FAILS');
  const message = await h.orm.em.fork().findOneOrFail(InboxMessage, { sourceMessageId: 'LAB-FAILS' });
  // The cause: the message names a source organization that does not exist, so every import breaks a foreign key.
  const labOrganizationId = message.sourceOrganizationId!;
  await h.orm.em.fork().nativeUpdate(InboxMessage, { id: message.id }, { sourceOrganizationId: randomUUID() });

  const workers = startTestWorkers(h);
  try {
    expect(await until(() => inboxState(message.id), (state) => state === InboxState.FAILED)).toBe(InboxState.FAILED);
    const failed = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id });
    expect(failed.error).toMatch(/^import failed: /);
    expect(failed.error).not.toMatch(/Avery|Demo|1988|555/);
    expect(await h.orm.em.fork().count(Notification, { kind: 'inbound.failed', subjectId: message.id, recipient: world.claims[Role.ADMIN].userId })).toBe(1);

    // Its queued work is FAILED too, with the reason code, and counted.
    const [job] = await until(() => h.orm.em.fork().find(OutboxMessage, { payload: { inboxMessageId: message.id } }), (jobs) => jobs[0]?.failedAt != null);
    expect(job.failureReason).toMatch(/^[A-Za-z]+(Error|Exception)( \(\w+\))?$/);
    expect(job.doneAt).not.toBeNull();

    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/inbox_messages\{source="HL7V2",state="FAILED"\} 1/);
    expect(metrics.body).toMatch(/outbox_messages\{queue="inbound-messages",state="failed"\} 1/);

    const listed = await h.graphql(FailedInboundMessagesDocument, {}, admin);
    expect(listed.data?.failedInboundMessages.edges.map((edge) => edge.node.id)).toEqual([message.id]);
    const asClinician = await h.graphql(FailedInboundMessagesDocument, {}, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(asClinician.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED/);

    // The cause is fixed; an admin reprocesses the message and the worker imports it, once.
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: message.id }, { sourceOrganizationId: labOrganizationId });
    const reprocessed = await h.graphql(ReprocessInboundMessageDocument, { id: message.id }, admin);
    expect(reprocessed.data?.reprocessInboundMessage.message.state).toBe(InboxState.RECEIVED);
    expect(await until(() => inboxState(message.id), (state) => state === InboxState.PROCESSED)).toBe(InboxState.PROCESSED);
    expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: message.id })).toBe(1);

    const again = await h.graphql(ReprocessInboundMessageDocument, { id: message.id }, admin);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  } finally {
    await workers.stop();
  }
});

it('marks a FHIR Bundle whose import fails on every attempt FAILED, and imports it when reprocessed once the database accepts its records again', async () => {
  const pcp = await h.token(world.claims[Role.PCP]);
  const admin = await h.token(world.claims[Role.ADMIN]);
  const connection = h.orm.em.getConnection();
  // A real database failure: inserts into clinical_record are refused until the trigger is dropped.
  await connection.execute(`create function refuse_records() returns trigger language plpgsql as $$ begin raise exception 'storage unavailable'; end $$`);
  await connection.execute('create trigger refuse_records before insert on clinical_record for each row execute function refuse_records()');
  const bundle = readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8').replace('maple-export-0001', 'maple-export-fails');
  const send = () =>
    h.app.inject({ method: 'POST', url: '/ingest/fhir', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${pcp}` }, payload: bundle });
  const workers = startTestWorkers(h);
  try {
    const accepted = await send();
    expect(accepted.statusCode).toBe(202);
    const message = await h.orm.em.fork().findOneOrFail(InboxMessage, { source: InboxSource.FHIR, sourceMessageId: 'maple-export-fails' });
    expect(await until(() => inboxState(message.id), (state) => state === InboxState.FAILED)).toBe(InboxState.FAILED);
    expect((await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id })).error).not.toContain('storage unavailable');

    await connection.execute('drop trigger refuse_records on clinical_record');
    await connection.execute('drop function refuse_records');
    const reprocessed = await h.graphql(ReprocessInboundMessageDocument, { id: message.id }, admin);
    expect(reprocessed.data?.reprocessInboundMessage.message.state).toBe(InboxState.RECEIVED);
    expect(await until(() => inboxState(message.id), (state) => state === InboxState.PROCESSED)).toBe(InboxState.PROCESSED);
    expect(await h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: message.id })).toBeGreaterThan(0);
  } finally {
    await workers.stop();
  }
});

it('fails a job of a name no processor knows at once, not after every retry', async () => {
  const workers = startTestWorkers(h);
  try {
    for (const queueName of ['notifications', 'roi-consent', 'lab-results', 'inbound-messages'] as const) {
      const job = await h.queues.get(queueName).add('no-such-job', {}, { jobId: `unknown-${queueName}` });
      const state = await until(() => h.queues.get(queueName).getJobState(job.id!), (current) => current === 'failed');
      expect(state).toBe('failed');
      expect((await h.queues.get(queueName).getJob(job.id!))?.attemptsMade).toBe(1);
    }
  } finally {
    await workers.stop();
  }
});
