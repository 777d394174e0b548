import { Writable } from 'node:stream';
import { generateKeyPairSync } from 'node:crypto';
import { buildApp } from '../src/app';
import { TokenVerifier } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { QueueSet } from '../src/jobs/queue-set';
import { createRedis } from '../src/jobs/redis';
import { createLogger } from '../src/logger';
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
});
