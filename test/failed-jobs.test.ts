import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { Notification } from '../src/modules/notifications/notification.entity';
import { FailedJobsDocument, RetryFailedJobDocument } from './generated/graphql';
import { requestConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** Queued work that fails for good is FAILED in the database, put before the admins, and queued again by them. */
let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness({ JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '10' });
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

const outboxRowOf = (consentId: string) => h.orm.em.fork().findOneOrFail(OutboxMessage, { jobName: 'consent.requested', payload: { consentId } });

it('marks a consent request whose form cannot be stored FAILED, tells the IOP admins, and sends it once an admin retries it', async () => {
  const admin = await h.token(world.claims[Role.ADMIN]);
  const connection = h.orm.em.getConnection();
  // A real database failure on the job's own write: the consent form cannot be stored.
  await connection.execute(`create function refuse_consent_updates() returns trigger language plpgsql as $$ begin raise exception 'storage unavailable for %', new.id; end $$`);
  await connection.execute('create trigger refuse_consent_updates before update on consent for each row execute function refuse_consent_updates()');
  const workers = startTestWorkers(h);
  try {
    const consentId = await requestConsent(h, world);
    const failed = await until(() => outboxRowOf(consentId), (row) => row.failedAt !== null);
    expect(failed.failureReason).toMatch(/^[A-Za-z]+(Error|Exception)( \(\w+\))?$/);
    expect(failed.failureReason).not.toContain(consentId);
    expect(await h.orm.em.fork().count(Notification, { kind: 'job.failed', subjectId: failed.jobKey, recipient: world.claims[Role.ADMIN].userId })).toBe(1);
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('outbox_messages{queue="roi-consent",state="failed"} 1');

    const listed = await h.graphql(FailedJobsDocument, {}, admin);
    expect(listed.data?.failedJobs).toEqual([expect.objectContaining({ id: failed.jobKey, queue: 'roi-consent', jobName: 'consent.requested', failureReason: failed.failureReason })]);
    const asClinician = await h.graphql(FailedJobsDocument, {}, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(asClinician.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED/);
    const retriedByPractice = await h.graphql(RetryFailedJobDocument, { id: failed.jobKey }, await h.token(world.claims[Role.PCP]));
    expect(retriedByPractice.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED/);

    // The cause is fixed; the admin queues the job again and it runs, once.
    await connection.execute('drop trigger refuse_consent_updates on consent');
    await connection.execute('drop function refuse_consent_updates');
    const retried = await h.graphql(RetryFailedJobDocument, { id: failed.jobKey }, admin);
    expect(retried.data?.retryFailedJob).toMatchObject({ queue: 'roi-consent', jobName: 'consent.requested', failedAt: null });
    expect(retried.data?.retryFailedJob.id).not.toBe(failed.jobKey);
    const done = await until(() => outboxRowOf(consentId), (row) => row.doneAt !== null);
    expect(done.failedAt).toBeNull();
    expect((await h.orm.em.fork().findOneOrFail(Consent, { id: consentId })).document).not.toBeNull();
    expect(await h.orm.em.fork().count(Notification, { kind: 'consent.requested', subjectId: consentId })).toBe(1);

    const again = await h.graphql(RetryFailedJobDocument, { id: failed.jobKey }, admin);
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const notAnId = await h.graphql(RetryFailedJobDocument, { id: 'not-a-job' }, admin);
    expect(notAnId.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  } finally {
    await workers.stop();
    await connection.execute('drop trigger if exists refuse_consent_updates on consent');
  }
});
