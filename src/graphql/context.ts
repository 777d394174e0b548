import type { EntityManager } from '@mikro-orm/postgresql';
import type { Account } from '../auth/account';
import type { RequestUser, SignedIn } from '../auth/request-user';
import type { Config } from '../config';
import { DisclosureLedger } from '../modules/audit/disclosure-ledger';
import { AccessPolicy } from '../modules/access/access-policy';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver gets: the request's user, its own EntityManager, loaders and policy. */
export interface GraphQLContext {
  requestId: string;
  user: RequestUser | null;
  /** The user's own account as read when their token was checked (what `me` answers). */
  account: Account | null;
  em: EntityManager;
  /** Whether anything has asked for `em` yet: an answer made without it read nothing from the database. */
  readonly entityManagerUsed: boolean;
  loaders: Loaders;
  access: AccessPolicy;
  /** What the request disclosed and left out, which the audit plugin reports and writes. */
  ledger: DisclosureLedger;
  /** Settings resolvers need (e.g. how long emergency access lasts). */
  config: Pick<Config, 'BREAK_GLASS_MINUTES' | 'PHARMACY_EVENT_MAX_AHEAD_SECONDS' | 'REFILL_LATE_DAYS' | 'WEBHOOK_SECRETS_KEY' | 'isProduction'>;
}

/**
 * The request's context. Its EntityManager, loaders and policy are made on first use: a request
 * that reads nothing (`{ __typename }`, `me` from the trusted credentials) forks no EntityManager.
 */
export function createContext(
  requestId: string,
  fork: () => EntityManager,
  signedIn: (Pick<SignedIn, 'user'> & Partial<SignedIn>) | null,
  config: GraphQLContext['config'],
): GraphQLContext {
  const ledger = new DisclosureLedger();
  const user = signedIn?.user ?? null;
  let em: EntityManager | undefined;
  let loaders: Loaders | undefined;
  let access: AccessPolicy | undefined;
  return {
    requestId,
    user,
    account: signedIn?.account ?? null,
    get em() {
      return (em ??= fork());
    },
    get entityManagerUsed() {
      return em !== undefined;
    },
    get loaders() {
      return (loaders ??= createLoaders(() => this.em));
    },
    get access() {
      return (access ??= new AccessPolicy(this.em, user, ledger, this.loaders.patientCare));
    },
    ledger,
    config,
  };
}
