import { createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { buildApp } from '../src/app';
import { TokenVerifier } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { initOrm } from '../src/db/orm';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { QueueSet } from '../src/jobs/queue-set';
import { createRedis } from '../src/jobs/redis';
import Fastify from 'fastify';
import { createLogger, requestLogger } from '../src/logger';
import { InboxMessage } from '../src/modules/ingest/inbox-message.entity';
import { serverUrl } from './helpers/databases';
import { TcpProxy } from './helpers/tcp-proxy';
import { until } from './helpers/workers';
import { PatientDocument, RegisterPatientDocument } from './generated/graphql';
import { capturedLogger } from './helpers/captured-logs';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

describe('health, readiness and metrics', () => {
  it('/healthz says the process is up', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks Postgres and Redis', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });

  /** The API as main.ts builds it, on the harness's database unless given another ORM, and on the given Redis. */
  async function appWith(redis: Redis, orm = h.orm) {
    const logger = createLogger('silent');
    return buildApp({
      config: h.config,
      orm,
      redis,
      queues: new QueueSet(redis, h.config.QUEUE_PREFIX, logger),
      logger,
      verifier: new TokenVerifier(h.config, createPublicKey(h.privateKey)),
    });
  }

  it('/readyz says degraded, not unready, when Redis does not answer, and the ingest routes still accept', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'client');
    deadRedis.on('error', () => undefined);
    const app = await appWith(deadRedis);
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'degraded', postgres: 'ok', redis: 'down' });

      const hl7 = readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1').replace('LAB-0001', 'LAB-NO-REDIS');
      const accepted = await app.inject({
        method: 'POST',
        url: '/ingest/hl7',
        headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${await h.token(world.claims[Role.LAB])}` },
        payload: hl7,
      });
      expect(accepted.body).toContain('MSA|AA|LAB-NO-REDIS');
      const stored = await h.orm.em.fork().findOneOrFail(InboxMessage, { sourceMessageId: 'LAB-NO-REDIS' });
      expect(await h.orm.em.fork().count(OutboxMessage, { payload: { inboxMessageId: stored.id }, relayedAt: null })).toBe(1);
    } finally {
      await app.close();
      deadRedis.disconnect();
    }
  });

  it('/readyz answers 503 when Postgres does not answer', async () => {
    const unreachable = await initOrm({ ...h.config, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/carebridge' }, { connect: false });
    const app = await appWith(h.redis, unreachable);
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable', postgres: 'down', redis: 'ok' });
    } finally {
      await app.close();
      await unreachable.close();
    }
  });

  it('/metrics shows queued work by queue, state and age of the oldest unfinished', async () => {
    const em = h.orm.em.fork();
    const hourAgo = new Date(Date.now() - 3_600_000);
    const waiting = addToOutbox(em, 'roi-consent', 'consent.requested', { consentId: randomUUID() });
    waiting.createdAt = hourAgo;
    const queued = addToOutbox(em, 'roi-consent', 'consent.revoked', { consentId: randomUUID() });
    queued.relayedAt = new Date();
    const failed = addToOutbox(em, 'roi-consent', 'consent.expired', { consentId: randomUUID() });
    Object.assign(failed, { relayedAt: new Date(), doneAt: new Date(), failedAt: new Date(), failureReason: 'TypeError' });
    await em.flush();
    try {
      const { body } = await h.app.inject({ method: 'GET', url: '/metrics' });
      for (const state of ['waiting', 'queued', 'failed']) expect(body).toContain(`outbox_messages{queue="roi-consent",state="${state}"} 1`);
      const age = Number(/outbox_oldest_unfinished_seconds\{queue="roi-consent"\} ([\d.]+)/.exec(body)?.[1]);
      expect(age).toBeGreaterThanOrEqual(3600);
      expect(age).toBeLessThan(3700);
    } finally {
      await h.orm.em.fork().nativeDelete(OutboxMessage, { id: { $in: [waiting.id, queued.id, failed.id] } });
    }
  });

  it('/metrics exposes request counts, latencies and queue depths', async () => {
    await h.app.inject({ method: 'GET', url: '/healthz' });
    await h.queues.get('lab-results').add('probe', {}, { jobId: 'metrics-probe' });
    const response = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    expect(response.body).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(response.body).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"\}/);
    expect(response.body).toContain('queue_jobs{queue="lab-results",state="waiting"} 1');
    expect(response.body).toContain('queue_jobs{queue="notifications",state="failed"} 0');
  });
});

describe('logs carry ids, never PHI', () => {
  const phi = { givenName: 'Zebediah', familyName: 'Quillfeather', birthDate: '1961-03-17', phone: '+1 555 0199', addressLine: '77 Sunset Strip' };

  it('logs no name, birth date, phone or address of a patient written or read, over POST or GET', async () => {
    const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
    const registered = await h.graphql(RegisterPatientDocument, { input: phi }, clinician);
    const id = registered.data!.registerPatient.patient.id;
    await h.graphql(PatientDocument, { id }, clinician);
    const query = encodeURIComponent(PatientDocument.toString());
    const variables = encodeURIComponent(JSON.stringify({ id, hint: phi.familyName }));
    const viaGet = await h.app.inject({
      method: 'GET',
      url: `/graphql?query=${query}&variables=${variables}`,
      headers: { authorization: `Bearer ${clinician}`, 'apollo-require-preflight': 'true' },
    });
    expect(viaGet.statusCode).toBe(200);
    const logs = h.logLines.join('');
    expect(logs).toContain('"route":"/graphql"');
    for (const value of Object.values(phi)) expect(logs).not.toContain(value);
    expect(logs).not.toContain(clinician);
  });

  it('redacts PHI keys in any object that is logged by mistake, and logs errors without their messages', () => {
    const { logger, lines } = capturedLogger('info');
    logger.info({ patient: { ...phi, id: 'p-1' }, givenName: phi.givenName, result: { observation: { value: '1.9 mmol/L' } } }, 'oops');
    logger.error({ err: new Error(`duplicate key (email)=(${phi.familyName}@example.org)`) }, 'failed');
    const output = lines.join('');
    expect(output).toContain('"id":"p-1"');
    expect(output).toContain('[Redacted]');
    expect(output).not.toContain('1.9 mmol/L');
    for (const value of Object.values(phi)) expect(output).not.toContain(value);
  });

  it("binds a request's logger to its request id as pino would, without pino's child (its redaction pass), and still redacts what it logs", async () => {
    const { logger, lines } = capturedLogger('info');
    const app = Fastify({
      loggerInstance: logger,
      disableRequestLogging: true,
      genReqId: () => 'req-1',
      childLoggerFactory: (parent, bindings, options) => requestLogger(parent, bindings, options),
    });
    app.get('/', async (request) => {
      request.log.info({ patient: { ...phi, id: 'p-1' } }, 'logged');
      return 'ok';
    });
    await app.ready();
    let children = 0;
    logger.onChild = () => void (children += 1);
    try {
      expect((await app.inject({ method: 'GET', url: '/' })).body).toBe('ok');
      expect(children).toBe(0);
      logger.child({ reqId: 'req-1' }).info({ patient: { ...phi, id: 'p-1' } }, 'logged');
      const [byRequest, byPino] = lines.slice(-2).map((line) => ({ ...(JSON.parse(line) as Record<string, unknown>), time: undefined }));
      expect(byRequest).toEqual(byPino);
      expect(byRequest).toMatchObject({ reqId: 'req-1', patient: { id: 'p-1', givenName: '[Redacted]' }, msg: 'logged' });
    } finally {
      await app.close();
    }
  });

  it('prints nothing of the statement a database connection was running when it broke', async () => {
    // The ORM inlines a statement's values into its SQL, and the query builder quotes that SQL in
    // the error of a connection that broke under it, then prints the error when it discards the connection.
    const proxy = await TcpProxy.start(Number(serverUrl.port || 5432));
    const throughProxy = new URL(h.config.DATABASE_URL);
    throughProxy.port = String(proxy.port);
    const orm = await initOrm({ DATABASE_URL: throughProxy.toString(), DATABASE_POOL_MAX: 1 });
    const printed: string[] = [];
    const capture = (...parts: unknown[]) => void printed.push(parts.map(String).join(' '));
    const spies = [
      jest.spyOn(console, 'log').mockImplementation(capture),
      jest.spyOn(console, 'warn').mockImplementation(capture),
      jest.spyOn(console, 'error').mockImplementation(capture),
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (capture(chunk), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (capture(chunk), true)),
    ];
    try {
      const running = orm.em.getConnection().execute('select pg_sleep(5), ? as family_name', [phi.familyName]);
      await until(
        () => h.orm.em.getConnection().execute(`select count(*)::int as count from pg_stat_activity where query like 'select pg_sleep(5)%'`),
        ([{ count }]) => count > 0,
      );
      await proxy.cut();
      await expect(running).rejects.toThrow();
      await proxy.restore();
      // The pool finds its connection broken, replaces it, and the query runs.
      expect(await orm.em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      await orm.close();
      await proxy.close();
    }
    // What broke is still said, without the statement.
    expect(printed.join('\n')).toContain('Connection Error');
    expect(printed.join('\n')).not.toContain(phi.familyName);
  });
});
