import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { UnauthenticatedError } from '../errors';
import { isRole, type Role } from './roles';
import { readPublicKey } from './keys';
import { isUuid } from '../db/find';

/** What a verified token says; the user and membership are still checked against the database. */
export interface TokenClaims {
  userId: string;
  role: Role;
  organizationId: string | null;
}

export type JwtSettings = Pick<
  Config,
  'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_ALGORITHMS' | 'JWT_CLOCK_TOLERANCE_SECONDS' | 'JWT_JWKS_URL' | 'JWT_PUBLIC_KEY_FILE'
>;

export type VerificationKey = KeyObject | JWTVerifyGetKey;

export function verificationKeyFrom(settings: JwtSettings): VerificationKey {
  return settings.JWT_JWKS_URL
    ? createRemoteJWKSet(new URL(settings.JWT_JWKS_URL))
    : readPublicKey(settings.JWT_PUBLIC_KEY_FILE);
}


export class TokenVerifier {
  constructor(
    private readonly settings: JwtSettings,
    private readonly key: VerificationKey,
  ) {}

  async verify(token: string): Promise<TokenClaims> {
    let payload;
    try {
      const options = {
        issuer: this.settings.JWT_ISSUER,
        audience: this.settings.JWT_AUDIENCE,
        algorithms: this.settings.JWT_ALGORITHMS,
        clockTolerance: this.settings.JWT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'role'],
      };
      ({ payload } =
        typeof this.key === 'function'
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The token has expired');
      if (error instanceof errors.JOSEError) throw new UnauthenticatedError('The token is not valid');
      throw error;
    }
    const { sub, role, org } = payload;
    if (typeof sub !== 'string' || !isUuid(sub)) throw new UnauthenticatedError('The token has no valid subject');
    if (!isRole(role)) throw new UnauthenticatedError('The token has no valid role');
    if (org !== undefined && (typeof org !== 'string' || !isUuid(org))) {
      throw new UnauthenticatedError('The token has no valid organization');
    }
    return { userId: sub, role, organizationId: org ?? null };
  }
}

export type SigningSettings = Pick<Config, 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

/** Signs a token the way an identity provider would; used by the dev-token CLI, the demo and tests. */
export async function signToken(
  settings: SigningSettings,
  privateKey: KeyObject,
  claims: TokenClaims,
  expiresIn: string | number = '12h',
  algorithm = 'ES256',
): Promise<string> {
  const body: Record<string, string> = { role: claims.role };
  if (claims.organizationId) body.org = claims.organizationId;
  return new SignJWT(body)
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(settings.JWT_ISSUER)
    .setAudience(settings.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(privateKey);
}
