import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import { loadConfig } from './config';
import { demoTokens } from './auth/demo-tokens';
import { ensureLocalKeyPair, readPrivateKey } from './auth/keys';
import { migrate } from './db/migrate';
import { initOrm } from './db/orm';
import { seedDemoIfEmpty } from './db/seed';
import { createLogger } from './logger';
import { apiNodeFlags } from './api-flags';
import { graphiqlPath, portalPath } from './portal/portal.routes';

/**
 * `npm start`: applies migrations, seeds the demo into an empty database (not in production),
 * prints the portal's, GraphiQL's and GraphQL's URLs and a token per role, then runs the API and the worker as two processes
 * and stops both on SIGTERM/SIGINT.
 */
async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'start' });
  if (!config.JWT_JWKS_URL) ensureLocalKeyPair(config);

  const orm = await initOrm(config);
  try {
    const applied = await migrate(orm);
    logger.info({ migrations: applied }, applied.length ? 'migrations applied' : 'database up to date');
    if (!config.isProduction) {
      const seeded = await seedDemoIfEmpty(orm.em.fork());
      if (seeded.length) logger.info({ users: seeded.length }, 'demo data seeded');
    }
    const origin = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
    const lines = [`\nCareBridge portal:  ${origin}${portalPath}${config.isProduction || config.JWT_JWKS_URL ? '' : ' (pick a demo user to sign in)'}`];
    if (config.introspection) lines.push(`GraphiQL:           ${origin}${graphiqlPath}`);
    lines.push(`GraphQL endpoint:   ${origin}/graphql\n`);
    if (!config.isProduction && !config.JWT_JWKS_URL) {
      const tokens = await demoTokens(orm.em.fork(), config, readPrivateKey(config.JWT_PRIVATE_KEY_FILE), config.DEV_TOKEN_TTL);
      lines.push(`Demo tokens (valid ${config.DEV_TOKEN_TTL}; send as "Authorization: Bearer <token>"):`);
      for (const { role, organizationId, token } of tokens) {
        lines.push(`\n  ${role}${organizationId ? ` (organization ${organizationId})` : ''}\n  ${token}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  } finally {
    await orm.close();
  }

  const watch = process.argv.includes('--watch') ? ['--watch'] : [];
  const children = ['main', 'worker'].map((name) =>
    fork(join(__dirname, `${name}${extname(__filename)}`), [], {
      // The API's heap flags were measured on the build; the sources through swc hold ~70 MB more.
      execArgv: [...process.execArgv, ...watch, ...(name === 'main' && extname(__filename) === '.js' ? apiNodeFlags : [])],
      stdio: 'inherit',
    }),
  );
  superviseChildren(children);
}

/** Forwards termination signals to both processes; when one exits, stops the other and exits with its code. */
function superviseChildren(children: ChildProcess[]): void {
  let exitCode: number | null = null;
  const stopAll = (signal: NodeJS.Signals) => children.forEach((child) => child.exitCode === null && child.kill(signal));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGTERM'));
  for (const child of children) {
    child.on('exit', (code) => {
      exitCode ??= code ?? 1;
      stopAll('SIGTERM');
      if (children.every((each) => each.exitCode !== null || each.signalCode !== null)) process.exit(exitCode);
    });
  }
}

start().catch((error: unknown) => {
  process.stderr.write(`CareBridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
