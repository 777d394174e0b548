import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { initOrm } from './orm';
import { seedDemoIfEmpty } from './seed';

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

/** `npm run db:migrate [-- --seed]`: migrates; with --seed, also seeds the demo into an empty database. */
if (require.main === module) {
  void (async () => {
    const config = loadConfig();
    const orm = await initOrm(config);
    try {
      const applied = await migrate(orm);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      if (process.argv.includes('--seed') && !config.isProduction) {
        const seeded = await seedDemoIfEmpty(orm.em.fork());
        process.stdout.write(seeded.length ? `Seeded the demo (${seeded.length} users).\n` : 'The database has data; no demo seeded.\n');
      }
    } finally {
      await orm.close();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
