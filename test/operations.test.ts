import { Writable } from 'node:stream';
import { generateKeyPairSync } from 'node:crypto';
import { buildApp } from '../src/app';
import { TokenVerifier } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { QueueSet } from '../src/jobs/queue-set';
import { createRedis } from '../src/jobs/redis';
import { createLogger } from '../src/logger';
import { initOrm } from '../src/db/orm';
import { serverUrl } from './helpers/databases';
import { TcpProxy } from './helpers/tcp-proxy';
import { until } from './helpers/workers';
import { PatientDocument, RegisterPatientDocument } from './generated/graphql';
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

  it('/readyz answers 503 when Redis does not answer', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'client');
    deadRedis.on('error', () => undefined);
    const logger = createLogger('silent');
    const app = await buildApp({
      config: h.config,
      orm: h.orm,
      redis: deadRedis,
      queues: new QueueSet(deadRedis, h.config.QUEUE_PREFIX, logger),
      logger,
      verifier: new TokenVerifier(h.config, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable', postgres: 'ok', redis: 'down' });
    } finally {
      await app.close();
      deadRedis.disconnect();
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
    expect(logs).toContain('"path":"/graphql"');
    for (const value of Object.values(phi)) expect(logs).not.toContain(value);
    expect(logs).not.toContain(clinician);
  });

  it('redacts PHI keys in any object that is logged by mistake, and logs errors without their messages', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    logger.info({ patient: { ...phi, id: 'p-1' }, givenName: phi.givenName, result: { observation: { value: '1.9 mmol/L' } } }, 'oops');
    logger.error({ err: new Error(`duplicate key (email)=(${phi.familyName}@example.org)`) }, 'failed');
    const output = lines.join('');
    expect(output).toContain('"id":"p-1"');
    expect(output).toContain('[Redacted]');
    expect(output).not.toContain('1.9 mmol/L');
    for (const value of Object.values(phi)) expect(output).not.toContain(value);
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
