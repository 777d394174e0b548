import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../auth/request-user';
import type { Config } from '../config';
import { DisclosureLedger } from '../modules/audit/disclosure-ledger';
import { AccessPolicy } from '../modules/access/access-policy';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver gets: the request's user, its own EntityManager, loaders and policy. */
export interface GraphQLContext {
  requestId: string;
  user: RequestUser | null;
  em: EntityManager;
  loaders: Loaders;
  access: AccessPolicy;
  /** What the request disclosed and left out, which the audit plugin reports and writes. */
  ledger: DisclosureLedger;
  /** Settings resolvers need (e.g. how long emergency access lasts). */
  config: Pick<Config, 'BREAK_GLASS_MINUTES' | 'PHARMACY_EVENT_MAX_AHEAD_SECONDS' | 'REFILL_LATE_DAYS' | 'WEBHOOK_SECRETS_KEY' | 'isProduction'>;
}

export function createContext(
  requestId: string,
  em: EntityManager,
  user: RequestUser | null,
  config: GraphQLContext['config'],
): GraphQLContext {
  const ledger = new DisclosureLedger();
  const loaders = createLoaders(em);
  return {
    requestId,
    user,
    em,
    loaders,
    access: new AccessPolicy(em, user, ledger, loaders.patientCare),
    ledger,
    config,
  };
}
