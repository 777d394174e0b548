import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Harness } from './harness';

const repositoryRoot = join(__dirname, '..', '..');

/**
 * The API (`src/main.ts`) or the worker (`src/worker.ts`) as a real process, run from the sources
 * as `npm run dev` does, with the environment given (on top of the test's own). Everything it
 * prints is kept, for the test to show when it fails and to check for PHI.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private readonly lines: string[] = [];
  /** How often it was killed with SIGKILL. */
  kills = 0;

  constructor(
    readonly entry: 'src/main.ts' | 'src/worker.ts',
    private env: Record<string, string>,
  ) {}

  /** Everything it printed on stdout and stderr, across its restarts. */
  get output(): string {
    return this.lines.join('');
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts it (again), with `env` changed where given. */
  start(envChanges: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.entry} is already running`);
    this.env = { ...this.env, ...envChanges };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', this.entry], {
      cwd: repositoryRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => this.lines.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => this.lines.push(chunk.toString()));
    this.child = child;
  }

  /** SIGKILL, as a crash or the OOM killer: no shutdown code runs. Resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.kills++;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** For afterAll: gone, whatever state it is in. */
  async stop(): Promise<void> {
    await this.kill();
    this.child = null;
  }
}

/** Polls `url` until it answers 2xx or the time is up; throws then, with what the process printed. */
export async function waitUntilServing(url: string, process: AppProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw new Error(`${process.entry} exited while starting:\n${process.output.slice(-2000)}`);
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${process.entry} did not serve ${url} within ${timeoutMs} ms:\n${process.output.slice(-2000)}`);
}

/** The worker as a process on the harness's database, Redis, queues and webhook-secrets key (logging warnings), with `env` on top. */
export function harnessWorker(h: Harness, env: Record<string, string>): AppProcess {
  return new AppProcess('src/worker.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: h.config.DATABASE_URL,
    REDIS_URL: h.config.REDIS_URL,
    QUEUE_PREFIX: h.config.QUEUE_PREFIX,
    ...(h.config.WEBHOOK_SECRETS_KEY ? { WEBHOOK_SECRETS_KEY: h.config.WEBHOOK_SECRETS_KEY } : {}),
    ...env,
  });
}
