import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { buildIfStale, portalBuild } from '../scripts/build-if-stale';
import { buildTemplateDatabase, onServer, templateDatabase, testDatabasePrefix } from './helpers/databases';

const repositoryRoot = join(__dirname, '..');
const browserTests = join(__dirname, 'e2e');

/** Whether this run includes a browser test (test/e2e/), which needs the built portal. */
function runsBrowserTests(globalConfig: Config.GlobalConfig): boolean {
  const patterns = globalConfig.testPathPatterns;
  if (!patterns.isSet()) return true;
  const executor = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return readdirSync(browserTests).some((file) => file.endsWith('.test.ts') && executor.isMatch(join(browserTests, file)));
}

/**
 * Once per run: drops test databases left by earlier, crashed runs (those nobody is connected to;
 * another run's databases stay), then builds the template each test file copies; when browser
 * tests run, builds the portal first if web/ changed since its last build.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  if (runsBrowserTests(globalConfig)) buildIfStale(repositoryRoot, [portalBuild], { log: (line) => process.stdout.write(`\n${line}\n`) });
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
