import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { isUuid } from '../db/find';
import { initOrm } from '../db/orm';
import { findClaims } from './demo-tokens';
import { signToken } from './jwt';
import { ensureLocalKeyPair, readPrivateKey } from './keys';
import { isRole } from './roles';

const usage = 'usage: npm run dev:token -- --role ROLE [--org ORGANIZATION_ID] [--user USER_ID] [--ttl 12h]';

/**
 * `npm run dev:token -- --role PCP --org <id>`: prints a token signed with the local key for an
 * existing active user with that role (and organization). Refused in production.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, org: { type: 'string' }, user: { type: 'string' }, ttl: { type: 'string' } },
  });
  const config = loadConfig();
  if (config.isProduction) throw new Error('dev:token is for local use; production tokens come from the identity provider');
  if (!isRole(values.role)) throw new Error(`--role must be one of the roles in src/auth/roles.ts\n${usage}`);
  for (const [flag, value] of [['--org', values.org], ['--user', values.user]] as const) {
    if (value !== undefined && !isUuid(value)) throw new Error(`${flag} must be an id (UUID)\n${usage}`);
  }
  ensureLocalKeyPair(config);
  const orm = await initOrm(config);
  try {
    const claims = await findClaims(orm.em.fork(), { role: values.role, organizationId: values.org, userId: values.user });
    if (!claims) throw new Error(`No active user has the role ${values.role}${values.org ? ` in organization ${values.org}` : ''}`);
    const token = await signToken(config, readPrivateKey(config.JWT_PRIVATE_KEY_FILE), claims, values.ttl ?? config.DEV_TOKEN_TTL);
    process.stdout.write(`${token}\n`);
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
