import { spawnSync } from 'node:child_process';
import { Job } from 'bullmq';
import { Role } from '../src/auth/roles';
import { ConfigError, loadConfig } from '../src/config';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { createLogger } from '../src/logger';
import { emailDeliveryFrom, retryDelayMs } from '../src/modules/notifications/email-delivery';
import { EmailStatus, Notification } from '../src/modules/notifications/notification.entity';
import { NotificationSubject } from '../src/modules/notifications/notification-subject';
import { Notifier } from '../src/modules/notifications/notify';
import { User } from '../src/modules/users/user.entity';
import { MyNotificationsDocument, RevokeConsentDocument, SignConsentDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { freePort, startSmtpServer, type TestSmtpServer } from './helpers/smtp';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';
import { requestConsent } from './helpers/consents';

const from = 'no-reply@carebridge.example';
const signInUrl = 'https://app.carebridge.example/sign-in';
/** Settings for a fast test: due e-mails are looked for every 0.2 s, the first retry 0.2 s after a failure. */
const fastChannel = { NOTIFY_EMAIL_FROM: from, NOTIFY_SIGN_IN_URL: signInUrl, NOTIFY_EMAIL_POLL_SECONDS: '0.2', NOTIFY_EMAIL_RETRY_SECONDS: '0.2' };

function emailOf(h: Harness, userId: string): Promise<string> {
  return h.orm.em.fork().findOneOrFail(User, { id: userId }).then((user) => user.email);
}

function notificationsAbout(h: Harness, subjectId: string): Promise<Notification[]> {
  return h.orm.em.fork().find(Notification, { subjectId });
}

/** Waits `ms`: long enough for several delivery runs to find something to send, if there were anything. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('configuration', () => {
  it('leaves the e-mail channel off unless NOTIFY_EMAIL_SMTP_URL is set', () => {
    expect(loadConfig({}).NOTIFY_EMAIL_SMTP_URL).toBeUndefined();
    expect(emailDeliveryFrom(loadConfig({}))).toBeNull();
  });

  it('refuses bad e-mail settings, naming each, without repeating the credentials of the URL', () => {
    const attempt = () => loadConfig({ NOTIFY_EMAIL_SMTP_URL: 'https://mailer:s3cret@mail.example', NOTIFY_SIGN_IN_URL: 'ftp://sign-in', NOTIFY_EMAIL_MAX_ATTEMPTS: '0' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/NOTIFY_EMAIL_SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL/);
    expect(attempt).toThrow(/NOTIFY_SIGN_IN_URL: /);
    expect(attempt).toThrow(/NOTIFY_EMAIL_MAX_ATTEMPTS: /);
    expect(attempt).not.toThrow(/s3cret/);
    expect(() => loadConfig({ NOTIFY_EMAIL_SMTP_URL: 'smtp://mail.example:587' })).toThrow(/NOTIFY_EMAIL_FROM: required when NOTIFY_EMAIL_SMTP_URL is set/);
    expect(() => loadConfig({ NOTIFY_EMAIL_SMTP_URL: 'smtp://mail.example:587', NOTIFY_EMAIL_FROM: 'carebridge' })).toThrow(/NOTIFY_EMAIL_FROM: /);
  });

  it('stops the worker process with that message', () => {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/worker.ts'], {
      env: { ...process.env, NOTIFY_EMAIL_SMTP_URL: 'mail.example:25' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration:\n\s+NOTIFY_EMAIL_SMTP_URL: /);
  });

  it('waits twice as long after each failure: the first retry after NOTIFY_EMAIL_RETRY_SECONDS, at most six hours', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, 60))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(30, 60)).toBe(6 * 3_600_000);
  });
});

describe('with NOTIFY_EMAIL_SMTP_URL unset', () => {
  let h: Harness;
  let world: World;
  let smtp: TestSmtpServer;
  let workers: { stop(): Promise<void> };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    h = await startHarness({ NOTIFY_EMAIL_POLL_SECONDS: '0.2' });
    world = await seedWorld(h.orm.em.fork());
    // As an earlier start with the channel on left it in Redis.
    await h.queues.get('notifications').upsertJobScheduler('notification-email', { every: 200 }, { name: 'email.deliver', data: {} });
    workers = startTestWorkers(h);
  });
  afterAll(async () => {
    await workers.stop();
    await h.close();
    await smtp.close();
  });

  it('tells the patient in-app only: no e-mail is sent, none is pending and none is scheduled', async () => {
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
    const patient = await h.token(world.claims[Role.PATIENT]);
    await until(
      async () => (await h.graphql(MyNotificationsDocument, {}, patient)).data!.myNotifications.edges,
      (edges) => edges.some((edge) => edge.node.subjectId === consentId),
    );
    await pause(1000);
    expect(smtp.received).toEqual([]);
    expect(await h.orm.em.fork().count(Notification, { emailStatus: { $ne: null } })).toBe(0);
    expect(await h.queues.get('notifications').getJobSchedulers()).toEqual([]);
  });
});

describe('with NOTIFY_EMAIL_SMTP_URL set', () => {
  let h: Harness;
  let world: World;
  let smtp: TestSmtpServer;
  let workers: { stop(): Promise<void> };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    h = await startHarness({ ...fastChannel, NOTIFY_EMAIL_SMTP_URL: smtp.url, NOTIFY_EMAIL_MAX_ATTEMPTS: '3' });
    world = await seedWorld(h.orm.em.fork());
    workers = startTestWorkers(h, h.logger);
  });
  afterAll(async () => {
    await workers.stop();
    await h.close();
    await smtp.close();
  });

  async function newUser(email: string): Promise<User> {
    const em = h.orm.em.fork();
    const user = new User(email, 'Test Recipient');
    await em.persist(user).flush();
    return user;
  }

  it('a consent request e-mails the patient once: a fixed text and the sign-in link, no PHI, nothing of the program or the consent', async () => {
    const patientEmail = await emailOf(h, world.claims[Role.PATIENT].userId);
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
    await until(() => notificationsAbout(h, consentId), ([row]) => row?.emailStatus === EmailStatus.SENT);
    await pause(600);
    const received = smtp.receivedBy(patientEmail);
    expect(received).toHaveLength(1);
    const [email] = received;
    expect(email.from).toBe(from);
    expect(email.to).toEqual([patientEmail]);
    expect(email.headers).toMatch(/^Subject: New message in CareBridge$/m);
    expect(email.text).toBe(`You have a new message in CareBridge. Sign in to read it.\r\n\r\n${signInUrl}\r\n`);
    const subjectAndText = `${/^Subject: .*$/m.exec(email.headers)![0]}\n${email.text}`;
    const patient = world.patients[0];
    for (const secret of [patient.givenName, patient.familyName, patient.birthDate, 'Harbor', 'Maple', 'consent', 'substance', 'SUD', 'Part 2', 'treatment', consentId]) {
      expect(subjectAndText.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    const [notification] = await notificationsAbout(h, consentId);
    expect(notification).toMatchObject({ emailStatus: EmailStatus.SENT, emailAttempts: 1 });
    expect(notification.emailSentAt).toBeInstanceOf(Date);
  });

  it('runs delivery on a schedule whose runs leave no completed jobs behind (the completed set remembers relayed job ids)', async () => {
    expect(await h.queues.get('notifications').getJobSchedulers()).toEqual([expect.objectContaining({ key: 'notification-email', name: 'email.deliver', every: 200 })]);
    const completed = await h.queues.get('notifications').getJobs(['completed']);
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.filter((job) => job.name === 'email.deliver')).toEqual([]);
  });

  it('staff are told the same way: the practice hears of a revocation by the same e-mail', async () => {
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
    const patient = await h.token(world.claims[Role.PATIENT]);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
    const practiceEmail = await emailOf(h, world.claims[Role.PCP].userId);
    const toPractice = await until(() => Promise.resolve(smtp.receivedBy(practiceEmail)), (emails) => emails.length > 0);
    await pause(600);
    expect(smtp.receivedBy(practiceEmail)).toHaveLength(1);
    expect(toPractice[0].text).toBe(`You have a new message in CareBridge. Sign in to read it.\r\n\r\n${signInUrl}\r\n`);
  });

  it('a consent request job delivered again sends no second e-mail', async () => {
    const patientEmail = await emailOf(h, world.claims[Role.PATIENT].userId);
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
    await until(() => notificationsAbout(h, consentId), ([row]) => row?.emailStatus === EmailStatus.SENT);
    const before = smtp.receivedBy(patientEmail).length;
    const outbox = await h.orm.em.fork().findOneOrFail(OutboxMessage, { jobName: 'consent.requested', payload: { consentId } });
    const job = (await Job.fromId(h.queues.get('roi-consent'), outbox.jobId))!;
    const firstFinishedOn = job.finishedOn;
    await job.retry('completed');
    const rerun = await until(
      async () => (await Job.fromId(h.queues.get('roi-consent'), outbox.jobId))!,
      (again) => again.finishedOn !== undefined && again.finishedOn !== firstFinishedOn,
    );
    expect(rerun.returnvalue).toEqual({ notified: 0 });
    await pause(1000);
    expect(smtp.receivedBy(patientEmail)).toHaveLength(before);
    expect(await notificationsAbout(h, consentId)).toHaveLength(1);
  });

  it('deliveries running side by side send each e-mail once (a row is claimed FOR UPDATE SKIP LOCKED while it is sent)', async () => {
    const user = await newUser('side-by-side@patients.example');
    smtp.acceptDelayMs = 500;
    try {
      const subjectId = '00000000-0000-4000-8000-000000000001';
      const em = h.orm.em.fork();
      await new Notifier({ email: true }).notifyUsers(em, [user.id], { kind: 'test', subjectType: NotificationSubject.INBOX_MESSAGE, subjectId, sourceKey: 'test/side-by-side' });
      const delivery = emailDeliveryFrom(h.config)!;
      const silent = createLogger('silent');
      // Three runs of our own, and the scheduled one of the worker.
      await Promise.all([1, 2, 3].map(() => delivery.deliverDue(em, silent)));
      delivery.close();
      await until(() => notificationsAbout(h, subjectId), ([row]) => row.emailStatus === EmailStatus.SENT);
      await pause(600);
      expect(smtp.receivedBy(user.email)).toHaveLength(1);
      expect((await notificationsAbout(h, subjectId))[0]).toMatchObject({ emailStatus: EmailStatus.SENT, emailAttempts: 1 });
    } finally {
      smtp.acceptDelayMs = 0;
    }
  });

  it('sends nothing to a user whose account was closed before the e-mail went out; the in-app message stays', async () => {
    const user = await newUser('closed-account@patients.example');
    const subjectId = '00000000-0000-4000-8000-000000000003';
    const em = h.orm.em.fork();
    await em.transactional(async (tx) => {
      await new Notifier({ email: true }).notifyUsers(tx, [user.id], { kind: 'test', subjectType: NotificationSubject.INBOX_MESSAGE, subjectId, sourceKey: 'test/closed' });
      await tx.nativeUpdate(User, { id: user.id }, { active: false });
    });
    const [withdrawn] = await until(() => notificationsAbout(h, subjectId), ([row]) => row.emailStatus === null);
    expect(withdrawn).toMatchObject({ emailStatus: null, emailAttempts: 0, emailSentAt: null });
    await pause(400);
    expect(smtp.receivedBy(user.email)).toEqual([]);
  });

  it('an address the server refuses is retried, then given up: FAILED after NOTIFY_EMAIL_MAX_ATTEMPTS, counted in /metrics, logged without the address', async () => {
    const user = await newUser('nobody@refused.example');
    smtp.refuse = (address) => address === user.email;
    const subjectId = '00000000-0000-4000-8000-000000000002';
    await new Notifier({ email: true }).notifyUsers(h.orm.em.fork(), [user.id], { kind: 'test', subjectType: NotificationSubject.INBOX_MESSAGE, subjectId, sourceKey: 'test/refused' });

    const [notification] = await until(() => notificationsAbout(h, subjectId), ([row]) => row.emailStatus === EmailStatus.FAILED);
    expect(notification).toMatchObject({ emailStatus: EmailStatus.FAILED, emailAttempts: 3, emailSentAt: null, emailNextAttemptAt: null });
    expect(smtp.receivedBy(user.email)).toEqual([]);

    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('notification_emails_undelivered{status="failed"} 1');

    const failures = h.logLines.filter((line) => line.includes('notification e-mail not sent') && line.includes(notification.id));
    expect(failures).toHaveLength(3);
    expect(failures[2]).toContain('"emailStatus":"FAILED"');
    const logs = h.logLines.join('');
    expect(logs).not.toContain(user.email);
    expect(logs).not.toContain('Mailbox unavailable');
  });
});

describe('with the SMTP server down at first', () => {
  let h: Harness;
  let world: World;
  let port: number;
  let smtp: TestSmtpServer | undefined;
  let workers: { stop(): Promise<void> };

  beforeAll(async () => {
    port = await freePort();
    h = await startHarness({ ...fastChannel, NOTIFY_EMAIL_SMTP_URL: `smtp://127.0.0.1:${port}`, NOTIFY_EMAIL_MAX_ATTEMPTS: '20' });
    world = await seedWorld(h.orm.em.fork());
    workers = startTestWorkers(h);
  });
  afterAll(async () => {
    await workers.stop();
    await h.close();
    await smtp?.close();
  });

  it('keeps the e-mail pending and retries it, and delivers it once when the server is up', async () => {
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
    const [failing] = await until(() => notificationsAbout(h, consentId), ([row]) => (row?.emailAttempts ?? 0) >= 2);
    expect(failing).toMatchObject({ emailStatus: EmailStatus.PENDING, emailSentAt: null });

    smtp = await startSmtpServer(port);
    const [sent] = await until(() => notificationsAbout(h, consentId), ([row]) => row.emailStatus === EmailStatus.SENT);
    await pause(600);
    expect(smtp.receivedBy(await emailOf(h, world.claims[Role.PATIENT].userId))).toHaveLength(1);
    expect(sent.emailAttempts).toBeGreaterThan(failing.emailAttempts);
  });
});
