import { execFileSync } from 'node:child_process';
import { databaseUrl, onServer, templateDatabase, testDatabasePrefix } from './helpers/databases';

/**
 * Once per run: drops test databases left by earlier runs, then builds the template every test
 * file copies by running the real migrations (so tests see the triggers a migration installs).
 * Migrations run in a child process: MikroORM keeps its metadata on the global object, which
 * Jest's in-band test realm would otherwise inherit.
 */
export default async function globalSetup(): Promise<void> {
  await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname = $2`,
      [`${testDatabasePrefix}%`, templateDatabase],
    );
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    await client.query(`create database "${templateDatabase}"`);
  });
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'src/db/migrate.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(templateDatabase), NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
