import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { TrustedCredentials } from '../../auth/trusted-credentials';
import type { Config } from '../../config';
import { DomainError } from '../../errors';
import type { QueueSet } from '../../jobs/queue-set';
import { requireProgramAdmin } from '../organizations/program-admin';

export const queueDashboardPath = '/admin/queues';
const sessionPath = '/admin/session';
export const adminSessionCookie = 'carebridge_admin';

/**
 * Bull Board's own page fetches its fonts from Google; the page works with the browser's, and the
 * hub must run on networks without internet access (and under a self-only CSP).
 */
const externalFontLink = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>\s*/g;

/** Self only; Bull Board's loading screen and its components use inline styles. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export interface QueueDashboardDependencies {
  config: Config;
  orm: MikroORM;
  queues: QueueSet;
  credentials: TrustedCredentials;
}

/**
 * The `Set-Cookie` value that lets a browser open the dashboard by navigation (it cannot send a
 * bearer header then): the same JWT, for /admin only, never readable by scripts nor sent from
 * another site, and gone when the token expires.
 */
export function adminSessionCookieFor(token: string, { secure, now = Date.now() }: { secure: boolean; now?: number }): string {
  const { exp } = decodeJwt(token);
  const maxAge = Math.max(0, Math.floor((exp ?? 0) - now / 1000));
  return [`${adminSessionCookie}=${token}`, `Max-Age=${maxAge}`, 'Path=/admin', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

function cookieToken(request: FastifyRequest): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === adminSessionCookie) return value.join('=');
  }
  return undefined;
}

/**
 * The queue dashboard (Bull Board) at /admin/queues, for IOP admins, who work the hub's failed
 * jobs: every request (page, API, static file) passes the same token check as GraphQL, from the
 * Authorization header or the admin session cookie that `POST /admin/session` sets. The board is
 * read-only: a failed job is retried through `retryFailedJob`, which also clears its FAILED outbox row.
 */
export function queueDashboardRoutes({ config, orm, queues, credentials }: QueueDashboardDependencies) {
  /** The refusal to answer with, or null when the credentials are an active IOP admin's. */
  async function refusalOf(authorization: string | undefined): Promise<{ status: 401 | 403; message: string } | null> {
    try {
      const signedIn = await credentials.signIn(authorization);
      if (!signedIn) return { status: 401, message: 'Authentication required' };
      await requireProgramAdmin(orm.em.fork(), signedIn.user, 'The queue dashboard is for IOP admins');
      return null;
    } catch (error) {
      if (error instanceof DomainError) return { status: error.code === 'FORBIDDEN' ? 403 : 401, message: error.message };
      throw error;
    }
  }

  const refuse = (reply: FastifyReply, refusal: { status: number; message: string }) =>
    reply.code(refusal.status).header('cache-control', 'no-store').send({ error: refusal.message });

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(sessionPath, async (request, reply) => {
      const refusal = await refusalOf(request.headers.authorization);
      if (refusal) return refuse(reply, refusal);
      const token = request.headers.authorization!.slice('Bearer '.length);
      return reply.code(204).header('set-cookie', adminSessionCookieFor(token, { secure: config.isProduction })).send();
    });
    app.delete(sessionPath, async (_request, reply) =>
      reply.code(204).header('set-cookie', `${adminSessionCookie}=; Max-Age=0; Path=/admin; HttpOnly; SameSite=Strict`).send(),
    );

    await app.register(async (dashboard) => {
      dashboard.addHook('onRequest', async (request, reply) => {
        const cookie = cookieToken(request);
        const refusal = await refusalOf(request.headers.authorization ?? (cookie ? `Bearer ${cookie}` : undefined));
        if (refusal) return refuse(reply, refusal);
        reply.header('content-security-policy', contentSecurityPolicy).header('cache-control', 'no-store');
      });
      dashboard.addHook('onSend', async (_request, reply, payload) => {
        const html = typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html');
        return html ? payload.replace(externalFontLink, '') : payload;
      });

      const board = new FastifyAdapter();
      createBullBoard({
        queues: queues.all().map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
        serverAdapter: board,
        options: { uiConfig: { boardTitle: 'CareBridge queues' } },
      });
      board.setBasePath(queueDashboardPath);
      await dashboard.register(board.registerPlugin(), { prefix: queueDashboardPath });
    });
  };
}
