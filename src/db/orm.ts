import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Config } from '../config';
import { entities } from './entities';

/** Running from TypeScript sources (dev, tests, CLI via swc) or from the compiled `dist/`. */
const runningFromSource = __filename.endsWith('.ts');

export type DatabaseSettings = Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>;

/** The one MikroORM configuration, shared by the API, the worker, the CLI and the tests. */
export function ormOptions(settings: DatabaseSettings): Options {
  return defineConfig({
    clientUrl: settings.DATABASE_URL,
    entities,
    extensions: [Migrator],
    preferTs: runningFromSource,
    pool: { min: 0, max: settings.DATABASE_POOL_MAX },
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
