import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';
import { loadConfig, type Config } from '../config';
import { signToken } from '../auth/jwt';
import { ensureLocalKeyPair, readPrivateKey } from '../auth/keys';
import { Role } from '../auth/roles';
import { isUuid } from '../db/find';
import { initOrm } from '../db/orm';
import { Organization, OrganizationKind } from '../modules/organizations/organization.entity';
import { OrganizationService } from '../modules/organizations/organization.service';
import { UserService } from '../modules/users/user.service';
import { endpointUrlMaxLength, OrganizationEndpointService } from '../modules/webhooks/organization-endpoint.service';
import { SecretBox } from '../modules/webhooks/secret-box';
import { sourceKeyPattern } from '../modules/webhooks/webhook-source.entity';
import { hubOperator, WebhookSourceService, type IssuedSecret } from '../modules/webhooks/webhook-source.service';

const partnerKinds = Object.values(OrganizationKind).filter((kind) => kind !== OrganizationKind.IOP);

const usage = `usage: npm run admin -- <command> [options]
  create-program --name NAME                       an IOP program
  create-organization --kind ${partnerKinds.join('|')} --name NAME
  add-admin --organization ORGANIZATION_ID --email EMAIL --name NAME
                                                   an admin of any organization (e.g. its first)
  set-endpoint --organization ORGANIZATION_ID --url URL
                                                   its webhook endpoint; prints the new signing secret once
  remove-endpoint --organization ORGANIZATION_ID   nothing is sent to it any more
  create-webhook-source --organization PHARMACY_ID --key KEY
                                                   a pharmacy's webhook source; prints its first secret once
  rotate-webhook-secret --key KEY                  a new secret (the old stays current until retired in GraphQL)`;

class UsageError extends Error {}

type Flags = Partial<Record<'name' | 'kind' | 'organization' | 'email' | 'url' | 'key', string>>;

function required(flags: Flags, flag: keyof Flags, maxLength: number): string {
  const value = flags[flag]?.trim();
  if (!value) throw new UsageError(`--${flag} is required`);
  if (value.length > maxLength) throw new UsageError(`--${flag} is longer than ${maxLength} characters`);
  return value;
}

function requiredOrganization(flags: Flags): string {
  const organizationId = required(flags, 'organization', 36);
  if (!isUuid(organizationId)) throw new UsageError('--organization must be an organization id (UUID)');
  return organizationId;
}

const endpointsFor = (config: Config) => new OrganizationEndpointService(SecretBox.fromConfig(config), !config.isProduction);

/** A command, checked in full before the database is opened, so bad input changes nothing. */
type Command = (config: Config, orm: Awaited<ReturnType<typeof initOrm>>) => Promise<Record<string, string>>;

function parseCommand(command: string | undefined, flags: Flags): Command {
  const organizations = new OrganizationService();
  const created = (organization: Organization) => ({ organizationId: organization.id, kind: organization.kind, name: organization.name });
  switch (command) {
    case 'create-program': {
      const name = required(flags, 'name', 200);
      return async (_config, orm) => created(await organizations.create(orm.em.fork(), name, OrganizationKind.IOP));
    }
    case 'create-organization': {
      const kind = partnerKinds.find((each) => each === flags.kind);
      if (!kind) throw new UsageError(`--kind must be one of ${partnerKinds.join(', ')} (a program is made with create-program)`);
      const name = required(flags, 'name', 200);
      return async (_config, orm) => created(await organizations.create(orm.em.fork(), name, kind));
    }
    case 'add-admin': {
      const organizationId = requiredOrganization(flags);
      const email = required(flags, 'email', 320);
      if (!isEmail(email)) throw new UsageError('--email is not an e-mail address');
      const name = required(flags, 'name', 200);
      return async (config, orm) => {
        const membership = await new UserService().addAdmin(orm.em.fork(), organizationId, email, name);
        const claims = { userId: membership.user.id, role: Role.ADMIN, organizationId };
        const printed: Record<string, string> = { organizationId, userId: claims.userId, membershipId: membership.id };
        // Outside production, a token to try the new seat with, as `npm run dev:token` would print.
        if (!config.isProduction) {
          ensureLocalKeyPair(config);
          printed.token = await signToken(config, readPrivateKey(config.JWT_PRIVATE_KEY_FILE), claims, config.DEV_TOKEN_TTL);
        }
        return printed;
      };
    }
    case 'set-endpoint': {
      const organizationId = requiredOrganization(flags);
      const url = required(flags, 'url', endpointUrlMaxLength);
      return async (config, orm) => {
        const { endpoint, secret } = await endpointsFor(config).set(orm.em.fork(), null, organizationId, url);
        return { organizationId, url: endpoint.url, secret };
      };
    }
    case 'remove-endpoint': {
      const organizationId = requiredOrganization(flags);
      return async (config, orm) => ({ organizationId, removed: String(await endpointsFor(config).remove(orm.em.fork(), null, organizationId)) });
    }
    case 'create-webhook-source':
    case 'rotate-webhook-secret': {
      const key = required(flags, 'key', 64);
      if (!sourceKeyPattern.test(key)) throw new UsageError('--key is 3 to 64 lowercase letters, digits and dashes');
      const organizationId = command === 'create-webhook-source' ? required(flags, 'organization', 36) : null;
      if (organizationId !== null && !isUuid(organizationId)) throw new UsageError('--organization must be an organization id (UUID)');
      const issued = ({ source, secretId, secret }: IssuedSecret) => ({ sourceId: source.id, key: source.key, secretId, secret });
      return async (config, orm) => {
        const sources = new WebhookSourceService(SecretBox.fromConfig(config));
        return issued(organizationId ? await sources.create(orm.em.fork(), hubOperator, organizationId, key) : await sources.rotate(orm.em.fork(), hubOperator, key));
      };
    }
    default:
      throw new UsageError(command ? `Unknown command ${command}` : 'A command is required');
  }
}

function parseFlags() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { name: { type: 'string' }, kind: { type: 'string' }, organization: { type: 'string' }, email: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `npm run admin -- <command>`: the hub operator creates programs and partner organizations,
 * seats their admins, who then manage their own organization's users, and sets webhook endpoints. Prints what it made as JSON.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseFlags();
  if (positionals.length > 1) throw new UsageError(`One command at a time, not ${positionals.join(' ')}`);
  const run = parseCommand(positionals[0], values);
  const config = loadConfig();
  const orm = await initOrm(config);
  try {
    process.stdout.write(`${JSON.stringify(await run(config, orm))}\n`);
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(error instanceof UsageError ? `${message}\n${usage}\n` : `${message}\n`);
  process.exit(1);
});
