import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import { ChannelListener } from '../db/notifications';
import type { TokenVerifier } from './jwt';
import { authenticate, type RequestUser, type SignedIn } from './request-user';

/** The channel the user, membership and organization triggers notify (migrations credentials_notify, account_notify). */
export const credentialsChannel = 'credentials_changed';

/** Enough for every active token of a region's users; beyond it the oldest entries make room. */
const maxTrustedTokens = 50_000;

export interface TrustOptions {
  /** The longest a verified token is trusted without checking it again; 0 trusts none. */
  ttlSeconds: number;
  now?: () => number;
}

/**
 * Bearer tokens that passed `authenticate` (signature and claims verified, user and membership
 * active in the database), trusted again without either check until the token expires or
 * `ttlSeconds` pass. Trust depends on hearing about changes: while the process listens on
 * `credentials_changed`, any change to a user, membership or organization (a trigger notifies on commit)
 * forgets every trusted token, so a suspension is refused from the next request on; while it does
 * not listen (not started, or the connection lost), nothing is trusted and every request is
 * checked. Refusals are never kept, so access granted or mended counts at once.
 */
export class TrustedCredentials {
  private readonly trusted = new Map<string, { signedIn: SignedIn; until: number }>();
  private listener: ChannelListener | null = null;
  private listening = false;
  /** Bumped whenever trust is withdrawn, so a check that straddled a change does not store its stale answer. */
  private generation = 0;
  private readonly now: () => number;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly orm: MikroORM,
    private readonly verifier: TokenVerifier,
    private readonly options: TrustOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Starts listening for credential changes; tokens are trusted once (and while) it listens. */
  listen(databaseUrl: string, logger: Logger, timing: { reconnectDelayMs?: number; heartbeatMs?: number } = {}): void {
    this.listener ??= new ChannelListener({
      databaseUrl,
      channel: credentialsChannel,
      applicationName: 'carebridge-credentials',
      logger,
      ...timing,
      onNotification: () => {
        this.forgetAll();
        for (const listener of this.changeListeners) listener();
      },
      // Changes made while nobody listened were not heard: start from nothing.
      onListening: () => {
        this.forgetAll();
        this.listening = true;
      },
      onLost: () => {
        this.listening = false;
        this.forgetAll();
      },
    });
  }

  /**
   * Calls `listener` each time a user or membership changes (once trust is withdrawn), for those
   * who hold on to a user longer than a request: an open subscription checks its user again.
   * Returns the call that stops it.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Resolves once changes are heard (again, after a lost connection). */
  whenListening(): Promise<void> {
    return this.listener?.whenListening() ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
  }

  /** The user the Authorization header authenticates (null when none was sent): see `signIn`. */
  async userOf(authorization: string | undefined): Promise<RequestUser | null> {
    return (await this.signIn(authorization))?.user ?? null;
  }

  /**
   * The user the Authorization header authenticates and their account (null when none was sent),
   * from trust when it may be, otherwise checked and trusted from then on.
   */
  async signIn(authorization: string | undefined): Promise<SignedIn | null> {
    if (authorization === undefined || authorization === '') return null;
    const now = this.now();
    const trusted = this.listening ? this.trusted.get(authorization) : undefined;
    if (trusted && trusted.until > now) return trusted.signedIn;
    if (trusted) this.trusted.delete(authorization);
    const generation = this.generation;
    const signedIn = await authenticate(this.orm.em.fork(), this.verifier, authorization);
    if (signedIn && this.listening && generation === this.generation && this.options.ttlSeconds > 0) this.trust(authorization, signedIn, now);
    return signedIn;
  }

  private trust(authorization: string, signedIn: SignedIn, now: number): void {
    const { exp } = decodeJwt(authorization.slice('Bearer '.length));
    const until = Math.min(now + this.options.ttlSeconds * 1000, (exp ?? 0) * 1000);
    if (this.trusted.size >= maxTrustedTokens) this.trusted.delete(this.trusted.keys().next().value!);
    this.trusted.set(authorization, { signedIn, until });
  }

  private forgetAll(): void {
    this.generation += 1;
    this.trusted.clear();
  }
}
