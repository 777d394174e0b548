import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { conflictOnDuplicate, findByIdOrFail, isUuid } from '../../db/find';
import { paginate, type Page, type PageRequest } from '../../db/paging';
import { BadInputError, ForbiddenError, NotFoundError } from '../../errors';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { SecretBox } from './secret-box';
import { sourceKeyPattern, WebhookSecret, WebhookSource } from './webhook-source.entity';

/** The hub operator at the command line (`npm run admin`), trusted with every organization's sources. */
export const hubOperator = 'HUB_OPERATOR';

/** Who manages sources: an admin signed in, or the hub operator. */
export type SourceManager = RequestUser | typeof hubOperator;

/** A secret as it is handed over: once, when made. */
export interface IssuedSecret {
  source: WebhookSource;
  secretId: string;
  secret: string;
}

/**
 * Webhook sources and their secrets, managed by the partner organization's admins or an IOP's
 * (who onboards partners). A secret is shown once, when made; rotation adds a new one while the
 * old stays current until retired.
 */
export class WebhookSourceService {
  constructor(private readonly box: SecretBox) {}

  async create(em: EntityManager, actor: SourceManager, organizationId: string, key: string): Promise<IssuedSecret> {
    if (!sourceKeyPattern.test(key)) throw new BadInputError('A source key is 3 to 64 lowercase letters, digits and dashes', { field: 'key' });
    return em.transactional(async (tx) => {
      const organization = await findByIdOrFail(tx, Organization, organizationId, 'Organization');
      await this.assertManages(tx, actor, organization);
      if (organization.kind !== OrganizationKind.PHARMACY) throw new BadInputError('Only a pharmacy sends webhooks today', { field: 'organizationId' });
      const source = new WebhookSource(key, organization);
      tx.persist(source);
      await conflictOnDuplicate(tx.flush(), 'This source key is taken');
      return this.issue(tx, source);
    });
  }

  /** An organization's sources, for those who manage them (never a secret's value). */
  async list(em: EntityManager, actor: RequestUser, organizationId: string, page: PageRequest): Promise<Page<WebhookSource>> {
    const organization = await findByIdOrFail(em, Organization, organizationId, 'Organization');
    await this.assertManages(em, actor, organization);
    return paginate(em, WebhookSource, { organization }, page);
  }

  async rotate(em: EntityManager, actor: SourceManager, sourceKeyOrId: string): Promise<IssuedSecret> {
    return em.transactional(async (tx) => {
      const source = isUuid(sourceKeyOrId)
        ? await findByIdOrFail(tx, WebhookSource, sourceKeyOrId, 'Webhook source', { populate: ['organization'] })
        : await tx.findOne(WebhookSource, { key: sourceKeyOrId }, { populate: ['organization'] });
      if (!source) throw new NotFoundError('Webhook source', sourceKeyOrId);
      await this.assertManages(tx, actor, source.organization);
      return this.issue(tx, source);
    });
  }

  async retire(em: EntityManager, actor: RequestUser, secretId: string): Promise<WebhookSecret> {
    return em.transactional(async (tx) => {
      const secret = await findByIdOrFail(tx, WebhookSecret, secretId, 'Webhook secret', { populate: ['source.organization'] });
      await this.assertManages(tx, actor, secret.source.organization);
      const current = await tx.count(WebhookSecret, { source: secret.source, retiredAt: null });
      if (current <= 1 && secret.isCurrent) throw new BadInputError('Rotate before retiring: a source keeps at least one current secret', { secretId });
      secret.retire(actor.id);
      return secret;
    });
  }

  private async issue(tx: EntityManager, source: WebhookSource): Promise<IssuedSecret> {
    const secret = SecretBox.newSecret();
    const row = new WebhookSecret(source, this.box.seal(secret));
    tx.persist(row);
    await tx.flush();
    return { source, secretId: row.id, secret };
  }

  /** The organization's own admins, or an IOP's admins (they onboard partners); others FORBIDDEN. */
  private async assertManages(em: EntityManager, actor: SourceManager, organization: Organization): Promise<void> {
    if (actor === hubOperator) return;
    if (actor.role !== Role.ADMIN || !actor.organizationId) throw new ForbiddenError("A source's secrets are managed by admins");
    if (actor.organizationId === organization.id) return;
    const own = await em.findOneOrFail(Organization, { id: actor.organizationId });
    if (own.kind !== OrganizationKind.IOP) throw new ForbiddenError("A source's secrets are managed by its organization's admins");
  }
}
