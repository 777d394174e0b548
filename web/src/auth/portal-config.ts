/** How this server lets people sign in (GET /app/config.json, src/portal/portal-config.ts). */
export interface PortalConfig {
  /** Development sign-in: pick a demo user (never in production). */
  developmentSignIn: boolean;
  /** Sign-in with the identity provider (OIDC authorization code + PKCE), when configured. */
  oidc: { issuer: string; clientId: string; scopes: string } | null;
}

let loaded: Promise<PortalConfig> | null = null;

export function portalConfig(): Promise<PortalConfig> {
  loaded ??= fetch('/app/config.json', { headers: { accept: 'application/json' } }).then((response) => {
    if (!response.ok) throw new Error(`The portal's settings could not be read (${response.status})`);
    return response.json() as Promise<PortalConfig>;
  });
  return loaded;
}
