import * as oauth from 'oauth4webapi';
import type { PortalConfig } from './portal-config';

type OidcSettings = NonNullable<PortalConfig['oidc']>;

/** What the redirect back must match: kept in this tab only, for the one sign-in under way. */
const pendingKey = 'carebridge.oidc';

interface Pending {
  codeVerifier: string;
  state: string;
}

/** The portal's own address is where the identity provider sends the user back. */
function redirectUri(): string {
  return new URL('/app/', window.location.origin).toString();
}

/** http:// is only for an identity provider on this machine (development, tests). */
function requestOptions(issuer: URL) {
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) }));
}

/** Sends the browser to the identity provider (authorization code flow with PKCE, S256). */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const server = await discover(settings);
  if (!server.authorization_endpoint) throw new Error('The identity provider has no authorization endpoint');
  const pending: Pending = { codeVerifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState() };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: settings.scopes,
    state: pending.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url);
}

/** Whether this page load is the identity provider sending the user back. */
export function isOidcCallback(): boolean {
  const parameters = new URLSearchParams(window.location.search);
  return sessionStorage.getItem(pendingKey) !== null && (parameters.has('code') || parameters.has('error'));
}

/**
 * Completes the sign-in on the redirect back: checks the state, exchanges the code with the
 * verifier, and returns the access token (the bearer token for the API).
 */
export async function finishOidcSignIn(settings: OidcSettings): Promise<string> {
  const stored = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  const callback = new URL(window.location.href);
  window.history.replaceState(null, '', callback.pathname);
  if (!stored) throw new Error('No sign-in was under way in this tab');
  const pending = JSON.parse(stored) as Pending;
  const server = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const parameters = oauth.validateAuthResponse(server, client, callback, pending.state);
  const issuer = new URL(settings.issuer);
  const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), parameters, redirectUri(), pending.codeVerifier, requestOptions(issuer));
  const result = await oauth.processAuthorizationCodeResponse(server, client, response);
  return result.access_token;
}
