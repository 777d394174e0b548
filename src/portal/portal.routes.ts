import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';

/** Where the portal is served; its client-side routes live under it too. */
export const portalPath = '/app/';

/** Where GraphiQL is served (development: with introspection on). */
export const graphiqlPath = '/graphiql';

function policy({ styles, fonts, connections = "'self'" }: { styles: string; fonts: string; connections?: string }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self'",
    `font-src ${fonts}`,
    `connect-src ${connections}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Self only: no script, style, font or connection to another origin (no CDN), nothing inline,
 * and no framing. `'self'` also admits ws:// to this host for subscriptions.
 */
export const contentSecurityPolicy = policy({ styles: "'self'", fonts: "'self'" });
/**
 * GraphiQL's editor (Monaco) writes its styles into <style> elements at run time and its
 * stylesheet carries its fonts as data: URLs; scripts and connections stay self only.
 */
export const graphiqlContentSecurityPolicy = policy({ styles: "'self' 'unsafe-inline'", fonts: "'self' data:" });

/** A person opening a URL in a browser (a page load, not a GraphQL request: no query in the URL). */
export function isBrowserVisit(request: FastifyRequest): boolean {
  const accepts = request.headers.accept ?? '';
  return request.method === 'GET' && accepts.includes('text/html') && !request.url.includes('?');
}

/** Vite's output names assets by content hash: they never change under the same name. */
function cacheHeaders(reply: FastifyReply, path: string): void {
  reply.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** What the sign-in page needs to know about this server (GET /app/config.json). */
export interface PortalSettings {
  developmentSignIn: boolean;
  oidc: { issuer: string; clientId: string; scopes: string } | null;
}

function oidcSettings(config: Config): PortalSettings['oidc'] {
  return config.OIDC_CLIENT_ID ? { issuer: config.JWT_ISSUER, clientId: config.OIDC_CLIENT_ID, scopes: config.OIDC_SCOPES } : null;
}

export interface PortalDependencies {
  config: Config;
  developmentSignIn: boolean;
}

/**
 * The portal (web/, built into PORTAL_DIR) at /app/: its files, and index.html for every other
 * path under /app/ (the portal routes on the client) except missing assets, which are 404.
 */
export function portalRoutes({ config, developmentSignIn }: PortalDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const oidc = oidcSettings(config);
    // The sign-in page reads the identity provider's discovery document and token endpoint itself.
    const portalPolicy = oidc ? policy({ styles: "'self'", fonts: "'self'", connections: `'self' ${new URL(oidc.issuer).origin}` }) : contentSecurityPolicy;
    app.addHook('onSend', async (_request, reply) => {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', portalPolicy);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    app.get('/', async (_request, reply) => reply.redirect(portalPath));
    app.get('/app', async (_request, reply) => reply.redirect(portalPath));
    app.get(`${portalPath}config.json`, async (_request, reply): Promise<PortalSettings> => {
      reply.header('cache-control', 'no-cache');
      return { developmentSignIn, oidc };
    });

    const root = resolve(config.PORTAL_DIR);
    if (!existsSync(resolve(root, 'index.html'))) {
      app.get(`${portalPath}*`, async (_request, reply) => reply.code(503).type('text/plain').send(`The portal is not built (no ${config.PORTAL_DIR}/index.html): run npm run build`));
      return;
    }
    // Routes for the files present at start (the build comes first), so the fallback below can
    // take every other path.
    await app.register(fastifyStatic, { root, prefix: portalPath, wildcard: false, cacheControl: false, setHeaders: cacheHeaders });
    app.get(`${portalPath}*`, async (request, reply) => {
      if (request.url.startsWith(`${portalPath}assets/`)) return reply.code(404).type('text/plain').send('Not found');
      return reply.sendFile('index.html');
    });
    // GraphiQL explores the schema by introspection: where that is off (production), so is it.
    if (config.introspection) {
      app.get(graphiqlPath, async (_request, reply) => reply.header('content-security-policy', graphiqlContentSecurityPolicy).sendFile('graphiql.html'));
    }
  };
}
