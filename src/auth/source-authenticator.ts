import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeJwt } from 'jose';
import { DomainError } from '../errors';
import type { TokenVerifier } from './jwt';
import { authenticate, type RequestUser } from './request-user';
import type { Role } from './roles';

export type SourceCheck = { organizationId: string } | { refused: 401 | 403; reason: string };

/** Enough for every source's token; beyond it the oldest entries make room. */
const maxCachedTokens = 10_000;

/**
 * Authenticates the senders of inbound messages (labs, practices) for the ingest routes, where one
 * sender sends thousands of messages a minute with the same token. A token that passed (signature
 * and claims verified, its user and membership active in the database) is trusted again without
 * either check for `ttlSeconds`, never past its own expiry: a user or membership revoked is
 * refused at the latest `ttlSeconds` after the revocation. Refusals are not kept, so a sender whose
 * access is granted or mended is let in at once, and bad tokens cannot fill the cache.
 */
export class SourceAuthenticator {
  private readonly trusted = new Map<string, { user: RequestUser; until: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly verifier: TokenVerifier,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The sending organization when the credentials are valid and carry `role`, otherwise the status and reason to refuse with. */
  async authenticate(authorization: string | undefined, role: Role, roleReason: string): Promise<SourceCheck> {
    let user: RequestUser | null;
    try {
      user = await this.userOf(authorization);
    } catch (error) {
      if (error instanceof DomainError) return { refused: 401, reason: error.message };
      throw error;
    }
    if (!user) return { refused: 401, reason: 'Authentication required' };
    if (user.role !== role || !user.organizationId) return { refused: 403, reason: roleReason };
    return { organizationId: user.organizationId };
  }

  private async userOf(authorization: string | undefined): Promise<RequestUser | null> {
    if (authorization === undefined) return null;
    const now = this.now();
    const cached = this.trusted.get(authorization);
    if (cached && cached.until > now) return cached.user;
    this.trusted.delete(authorization);
    const user = await authenticate(this.orm.em.fork(), this.verifier, authorization);
    if (!user || this.ttlSeconds === 0) return user;
    const { exp } = decodeJwt(authorization.slice('Bearer '.length));
    const until = Math.min(now + this.ttlSeconds * 1000, (exp ?? 0) * 1000);
    if (this.trusted.size >= maxCachedTokens) this.trusted.delete(this.trusted.keys().next().value!);
    this.trusted.set(authorization, { user, until });
    return user;
  }
}
