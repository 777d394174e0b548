import { createHash, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import { findClaims } from '../../src/auth/demo-tokens';
import { signToken } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { startPortal, type Portal } from './browser';

/**
 * A tiny OpenID provider: discovery, an authorize endpoint that signs in the demo PCP at once and
 * redirects back with a code, a token endpoint that checks the PKCE verifier against the challenge,
 * and its JWKS. Its key is the one the test app trusts.
 */
class TestProvider {
  server: Server = createServer((request, response) => void this.handle(request, response));
  issuer = '';
  key: KeyObject | null = null;
  subject: (() => Promise<Parameters<typeof signToken>[2]>) | null = null;
  settings: Parameters<typeof signToken>[0] | null = null;
  readonly codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  readonly refused: string[] = [];

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'cache-control': 'no-store', ...headers });
    response.end(body === null ? undefined : JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.issuer);
    if (request.method === 'OPTIONS') return this.send(response, 204, null);
    if (url.pathname === '/.well-known/openid-configuration') {
      return this.send(response, 200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return this.send(response, 200, { keys: [{ ...(await exportJWK(createPublicKey(this.key!))), alg: 'ES256', use: 'sig' }] });
    if (url.pathname === '/authorize') {
      const parameters = url.searchParams;
      const code = randomUUID();
      this.codes.set(code, { challenge: parameters.get('code_challenge') ?? '', redirectUri: parameters.get('redirect_uri') ?? '', clientId: parameters.get('client_id') ?? '' });
      const back = new URL(parameters.get('redirect_uri')!);
      back.search = new URLSearchParams({ code, state: parameters.get('state') ?? '' }).toString();
      return this.send(response, 302, null, { location: back.toString() });
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const form = new URLSearchParams(body);
      const issued = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!issued || issued.challenge !== challenge || issued.redirectUri !== form.get('redirect_uri') || issued.clientId !== form.get('client_id')) {
        this.refused.push(form.get('code') ?? '');
        return this.send(response, 400, { error: 'invalid_grant', error_description: 'the code verifier does not match the challenge' });
      }
      const claims = await this.subject!();
      const idToken = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(this.issuer)
        .setAudience(issued.clientId)
        .setSubject(claims.userId)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(this.key!);
      return this.send(response, 200, { access_token: await signToken(this.settings!, this.key!, claims, '10m'), token_type: 'Bearer', expires_in: 600, id_token: idToken });
    }
    return this.send(response, 404, { error: 'not_found' });
  }
}

const provider = new TestProvider();
let portal: Portal;

beforeAll(async () => {
  await provider.start();
  portal = await startPortal({ JWT_ISSUER: provider.issuer, JWT_JWKS_URL: `${provider.issuer}/jwks`, OIDC_CLIENT_ID: 'carebridge-portal' });
  provider.key = portal.harness.privateKey;
  provider.settings = portal.harness.config;
  provider.subject = async () => (await findClaims(portal.harness.orm.em.fork(), { role: Role.PCP }))!;
}, 60_000);

afterAll(async () => {
  await portal?.close();
  await new Promise((resolve) => provider.server.close(resolve));
});

test('with an identity provider the sign-in page offers it (and no demo users); the browser signs in there and lands on the role home', async () => {
  const page = await portal.newPage();
  await page.goto('/app/');
  const button = page.getByRole('button', { name: "Sign in with your organization's account" });
  await button.waitFor();
  expect(await page.locator('.demo-users').count()).toBe(0);
  await button.click();
  await page.waitForURL('**/app/pcp');
  await expect(page.locator('header .who-name').innerText()).resolves.toBe('Dr. Morgan Primary');
  expect(new URL(page.url()).search).toBe('');
  expect(portal.pageErrors).toEqual([]);
});

test('a token request with the wrong PKCE verifier is refused, and the portal says so and stays signed out', async () => {
  const page = await portal.newPage();
  await page.route(`${provider.issuer}/token`, async (route) => {
    const form = new URLSearchParams(route.request().postData() ?? '');
    form.set('code_verifier', 'x'.repeat(43));
    await route.continue({ postData: form.toString() });
  });
  await page.goto('/app/');
  await page.getByRole('button', { name: "Sign in with your organization's account" }).click();
  await page.getByRole('alert').waitFor();
  expect(provider.refused).toHaveLength(1);
  await expect(page.evaluate(() => sessionStorage.getItem('carebridge.token'))).resolves.toBeNull();
  expect(await page.locator('header .who-name').count()).toBe(0);
});
