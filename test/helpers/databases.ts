import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/** The server the tests use: the configured DATABASE_URL's, with test databases of their own. */
export const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/carebridge');
/** Named after the configured database, so two checkouts configured with different databases never share test databases. */
const configuredDatabase = serverUrl.pathname.slice(1) || 'carebridge';
export const testDatabasePrefix = `${configuredDatabase}_test_`;
export const templateDatabase = `${testDatabasePrefix}template`;

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs statements on the server's maintenance database (CREATE/DROP DATABASE cannot run in one's own). */
export async function onServer<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * (Re)creates a template database by running the real migrations, so copies have the triggers a
 * migration installs. Migrations run in a child process: MikroORM keeps its metadata on the global
 * object, which Jest's in-band test realm would otherwise inherit.
 */
export async function buildTemplateDatabase(template = templateDatabase): Promise<void> {
  await onServer(async (client) => {
    await client.query(`drop database if exists "${template}" with (force)`);
    await client.query(`create database "${template}"`);
  });
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'src/db/migrate.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template), NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A fresh database for one test file, copied from the migrated template (about 100 ms). */
export async function createTestDatabase(name: string, template = templateDatabase): Promise<string> {
  await onServer(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${template}"`);
        return;
      } catch (error) {
        // Two files copying the template at the same instant: Postgres refuses the second; try again.
        const busy = error instanceof Error && /being accessed by other users/.test(error.message);
        if (!busy || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return databaseUrl(name);
}

export async function dropTestDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`drop database if exists "${name}" with (force)`));
}
