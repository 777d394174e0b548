import { buildTemplateDatabase, onServer, templateDatabase, testDatabasePrefix } from './helpers/databases';

/**
 * Once per run: drops test databases left by earlier, crashed runs (those nobody is connected to;
 * another run's databases stay), then builds the template each test file copies.
 */
export default async function globalSetup(): Promise<void> {
  await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [
      `${testDatabasePrefix}%`,
    ]);
    for (const { datname } of rows) {
      if (datname === templateDatabase) continue;
      await client.query(`drop database if exists "${datname}"`).catch(() => undefined);
    }
  });
  await buildTemplateDatabase();
}
