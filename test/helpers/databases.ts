import { Client } from 'pg';

/** The server the tests use: the configured DATABASE_URL's, with test databases of their own. */
export const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/carebridge');
export const templateDatabase = 'carebridge_test_template';
export const testDatabasePrefix = 'carebridge_test_';

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

/** A fresh database for one test file, copied from the migrated template (about 100 ms). */
export async function createTestDatabase(name: string): Promise<string> {
  await onServer(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${templateDatabase}"`);
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
