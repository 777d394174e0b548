import type { KeyObject } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config';
import { findClaims, listDemoUsers } from '../auth/demo-tokens';
import { signToken } from '../auth/jwt';
import { Role } from '../auth/roles';

/** Development sign-in is offered only outside production, and only while tokens are signed with the local key (no identity provider). */
export function developmentSignInEnabled(config: Pick<Config, 'isProduction' | 'JWT_JWKS_URL'>, signingKey: KeyObject | null | undefined): signingKey is KeyObject {
  return !config.isProduction && !config.JWT_JWKS_URL && signingKey != null;
}

const tokenRequest = z.object({
  userId: z.uuid(),
  role: z.enum(Role),
  organizationId: z.uuid().nullish(),
});

export interface DevSignInDependencies {
  config: Config;
  orm: MikroORM;
  signingKey: KeyObject;
}

/**
 * The portal's development sign-in: GET /auth/dev-users lists the users a local token can name,
 * POST /auth/dev-token {userId, role, organizationId} signs one for them (as `npm run dev:token`
 * does). Registered only when `developmentSignInEnabled`: in production these paths do not exist.
 */
export function devSignInRoutes({ config, orm, signingKey }: DevSignInDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/auth/dev-users', async () => ({ users: await listDemoUsers(orm.em.fork()) }));

    app.post('/auth/dev-token', async (request, reply) => {
      const parsed = tokenRequest.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ message: 'Expected {"userId": "<uuid>", "role": "<role>", "organizationId": "<uuid>" or null}' });
      const { userId, role, organizationId } = parsed.data;
      const claims = await findClaims(orm.em.fork(), { userId, role, organizationId });
      if (!claims) return reply.code(404).send({ message: 'No active user with that role (and organization)' });
      return { token: await signToken(config, signingKey, claims, config.DEV_TOKEN_TTL) };
    });
  };
}
