import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiNodeFlags } from '../src/api-flags';
import { ConfigError, loadConfig } from '../src/config';
import { databaseUrl, dropTestDatabase, testDatabasePrefix } from './helpers/databases';
import { deleteKeys } from './helpers/harness';
import { createRedis } from '../src/jobs/redis';

describe('configuration', () => {
  it('gives every setting a default for local use', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, NODE_ENV: 'development', BODY_LIMIT_BYTES: 1_048_576, introspection: true });
  });

  it('refuses bad values, naming each setting and what is wrong', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', JWT_ALGORITHMS: 'HS256' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*number/);
    expect(attempt).toThrow(/DATABASE_URL: /);
    expect(attempt).toThrow(/JWT_ALGORITHMS/);
  });

  it('keeps the shutdown budget longer than the job lock, so a stop never leaves a job to stall', () => {
    expect(loadConfig({}).SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(loadConfig({}).JOB_LOCK_MS);
    expect(() => loadConfig({ JOB_LOCK_MS: '30000', SHUTDOWN_TIMEOUT_MS: '30000' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be longer than JOB_LOCK_MS/);
    expect(loadConfig({ JOB_LOCK_MS: '5000', SHUTDOWN_TIMEOUT_MS: '8000' })).toMatchObject({ JOB_LOCK_MS: 5000, SHUTDOWN_TIMEOUT_MS: 8000 });
  });

  it('stops the API process with that message', () => {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration:\n\s+PORT: /);
  });
});

describe('runtime', () => {
  it('runs on the Node.js the project pins as a dev dependency, whatever the system Node is', () => {
    const { devDependencies, engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string>; engines: { node: string } };
    expect(process.versions.node).toBe(devDependencies.node);
    expect(engines.node).toBe('>=22');
  });

  it.each([
    ['unhandledRejection', 'Promise.reject(new Error(phi))'],
    ['uncaughtException', 'setTimeout(() => { throw new Error(phi); }, 10)'],
  ])('logs an %s without its message (it can quote PHI) and exits for the supervisor to restart', (kind, fault) => {
    const script = `
      const { exitOnUncaughtErrors } = require('./src/shutdown');
      exitOnUncaughtErrors(require('./src/logger').createLogger('info'));
      const phi = 'Zebediah Quillfeather 1961-03-17';
      ${fault};
      setTimeout(() => process.exit(0), 5000);`;
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    const logged = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(logged).toMatchObject({ level: 60, kind, err: { type: 'Error' } });
    expect(result.stdout + result.stderr).not.toMatch(/Zebediah|Quillfeather|1961/);
  });
});

describe('npm start (src/start.ts)', () => {
  const database = `${testDatabasePrefix}start_${randomBytes(4).toString('hex')}`;
  const prefix = `cbtest-${database}`;
  let child: ChildProcessWithoutNullStreams | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await dropTestDatabase(database);
    const redis = createRedis('redis://127.0.0.1:6379', 'client');
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it('migrates and seeds an empty database, prints the URL and a token per role, serves, and stops both processes on SIGTERM', async () => {
    const port = String(41000 + Math.floor(Math.random() * 2000));
    const keys = mkdtempSync(join(tmpdir(), 'carebridge-start-'));
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/start.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(database),
        QUEUE_PREFIX: prefix,
        PORT: port,
        LOG_LEVEL: 'warn',
        JWT_PRIVATE_KEY_FILE: join(keys, 'private.pem'),
        JWT_PUBLIC_KEY_FILE: join(keys, 'public.pem'),
      },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    // Migrations, the demo story and two processes loading the sources through swc: slow on a busy machine.
    const deadline = Date.now() + 90_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok, () => false);
    }
    expect(ready).toBe(true);
    expect(stdout).toContain(`CareBridge portal:  http://127.0.0.1:${port}/app/ (pick a demo user to sign in)`);
    expect(stdout).toContain(`GraphiQL:           http://127.0.0.1:${port}/graphiql`);
    expect(stdout).toContain(`GraphQL endpoint:   http://127.0.0.1:${port}/graphql`);
    for (const role of ['IOP_CLINICIAN', 'PCP', 'PHARMACIST', 'LAB', 'LOCAL_PROVIDER', 'PATIENT', 'ADMIN']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${role}( \\(organization [0-9a-f-]{36}\\))?\\n  eyJ`));
    }
    const clinicianToken = /\n {2}IOP_CLINICIAN .*\n {2}(\S+)/.exec(stdout)![1];
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clinicianToken}` },
      body: JSON.stringify({ query: '{ patients { totalCount } }' }),
    });
    expect(await response.json()).toEqual({ data: { patients: { totalCount: 3 } } });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
    const stillServing = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    expect(stillServing).toBe(false);
  }, 150_000);
});

describe('npm run start:api (src/start-api.ts)', () => {
  it("becomes the API run with src/api-flags.ts's V8 flags: the same process, the flags in force", () => {
    const launcher = spawn(process.execPath, ['-r', '@swc-node/register', '-r', './test/fixtures/report-api-flags.ts', 'src/start-api.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise<void>((resolve, reject) => {
      let stdout = '';
      launcher.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      launcher.on('exit', (code) => {
        try {
          expect(code).toBe(0);
          const api = JSON.parse(stdout) as { pid: number; execArgv: string[]; heapLimitMb: number };
          expect(api.pid).toBe(launcher.pid);
          expect(api.execArgv).toEqual(expect.arrayContaining(apiNodeFlags));
          const oldSpaceMb = Number(/--max-old-space-size=(\d+)/.exec(apiNodeFlags.join(' '))![1]);
          expect(api.heapLimitMb).toBeGreaterThanOrEqual(oldSpaceMb);
          expect(api.heapLimitMb).toBeLessThan(oldSpaceMb + 256);
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }, 30_000);
});
