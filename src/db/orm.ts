import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Config } from '../config';
import { entities } from './entities';

/** Running from TypeScript sources (dev, tests, CLI via swc) or from the compiled `dist/`. */
const runningFromSource = __filename.endsWith('.ts');

/**
 * knex prints its warnings with console.log, and the one for a pooled connection that broke
 * quotes the statement that connection was running, values included (MikroORM writes them into
 * the SQL): names, results, raw messages. Only the warning's label (e.g. "Connection Error") is
 * printed; the statement's failure reaches its caller, which logs it without its message.
 */
const printLabelOnly = (message: unknown) => void process.stderr.write(`knex: ${String(message).split(':')[0]}\n`);

export type DatabaseSettings = Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>;

/** The one MikroORM configuration, shared by the API, the worker, the CLI and the tests. */
export function ormOptions(settings: DatabaseSettings): Options {
  return defineConfig({
    clientUrl: settings.DATABASE_URL,
    entities,
    extensions: [Migrator],
    preferTs: runningFromSource,
    pool: { min: 0, max: settings.DATABASE_POOL_MAX },
    driverOptions: { log: { warn: printLabelOnly, error: printLabelOnly, deprecate: printLabelOnly, debug: printLabelOnly } },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'dist/migrations',
      pathTs: 'migrations',
      glob: '!(*.d).{js,ts}',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      // No snapshot file: running migrations would rewrite it (named after each test database);
      // migration:create diffs the entities against the migrated database instead.
      snapshot: false,
      silent: true,
    },
    debug: false,
  });
}

/** `overrides` is for tests that need more than the shared configuration, e.g. a query log. */
export function initOrm(settings: DatabaseSettings, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init({ ...ormOptions(settings), ...overrides });
}
