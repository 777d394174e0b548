import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, ForbiddenError } from '../../errors';
import { mayManageEndpoint } from '../access/rules';
import { Organization } from '../organizations/organization.entity';
import { OrganizationEndpoint } from './organization-endpoint.entity';
import { SecretBox } from './secret-box';

export const endpointUrlMaxLength = 2000;
/** The longest a replaced secret keeps signing beside the new one: a week. */
export const maxSecretOverlapHours = 168;

/** An endpoint set, with the secret it signs with: shown this once. */
export interface EndpointSet {
  endpoint: OrganizationEndpoint;
  secret: string;
}

/** The URL and opened secret the hub signs an organization's webhooks with. */
export interface SigningEndpoint {
  url: string;
  secrets: string[];
}

/**
 * Organizations' webhook endpoints, generic over what is sent (prescriptions to pharmacies,
 * referrals to practices and local providers). Managed by the organization's own admins or a
 * program's admins (`rules.mayManageEndpoint`), or by the operator CLI (`actor` null).
 */
export class OrganizationEndpointService {
  constructor(
    private readonly box: SecretBox,
    /** Plain http:// only outside production: a signed body carries PHI. */
    private readonly allowPlainHttp: boolean,
  ) {}

  /**
   * Sets (or replaces) the endpoint with a new secret, returned once. The old secret stops signing
   * at once, or keeps signing beside the new one for `keepPreviousSecretHours` (a rotation).
   */
  async set(em: EntityManager, actor: RequestUser | null, organizationId: string, url: string, keepPreviousSecretHours = 0): Promise<EndpointSet> {
    const checkedUrl = this.checkedUrl(url);
    if (!Number.isInteger(keepPreviousSecretHours) || keepPreviousSecretHours < 0 || keepPreviousSecretHours > maxSecretOverlapHours) {
      throw new BadInputError(`Keep the previous secret for 0 to ${maxSecretOverlapHours} whole hours`, { field: 'keepPreviousSecretHours' });
    }
    return em.transactional(async (tx) => {
      const organization = await this.managedOrganization(tx, actor, organizationId);
      const secret = SecretBox.newSecret();
      const sealed = this.box.seal(secret);
      const existing = await tx.findOne(OrganizationEndpoint, { organization });
      const endpoint = existing ?? new OrganizationEndpoint(organization, checkedUrl, sealed, actor?.id ?? null);
      if (existing) existing.reset(checkedUrl, sealed, actor?.id ?? null, keepPreviousSecretHours * 3_600_000);
      tx.persist(endpoint);
      return { endpoint, secret };
    });
  }

  /** Removes the endpoint: nothing is sent to the organization any more (its worklist stays). Returns whether there was one. */
  async remove(em: EntityManager, actor: RequestUser | null, organizationId: string): Promise<boolean> {
    return em.transactional(async (tx) => {
      const organization = await this.managedOrganization(tx, actor, organizationId);
      return (await tx.nativeDelete(OrganizationEndpoint, { organization })) > 0;
    });
  }

  /** The endpoint as its managers see it (never the secret); null when it has none. */
  async find(em: EntityManager, actor: RequestUser, organizationId: string): Promise<OrganizationEndpoint | null> {
    const organization = await this.managedOrganization(em, actor, organizationId);
    return em.findOne(OrganizationEndpoint, { organization });
  }

  /** For the queue: where and with what to sign an organization's webhooks; null when it has no endpoint. */
  async signingEndpoint(em: EntityManager, organizationId: string): Promise<SigningEndpoint | null> {
    const endpoint = await em.findOne(OrganizationEndpoint, { organization: organizationId });
    return endpoint && { url: endpoint.url, secrets: endpoint.signingSealedSecrets().map((sealed) => this.box.open(sealed)) };
  }

  private checkedUrl(url: string): string {
    const trimmed = url.trim();
    if (trimmed.length > endpointUrlMaxLength) throw new BadInputError(`The URL is longer than ${endpointUrlMaxLength} characters`, { field: 'url' });
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new BadInputError('The URL is not a valid absolute URL', { field: 'url' });
    }
    const allowed = this.allowPlainHttp ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(parsed.protocol)) throw new BadInputError(`The URL must use ${allowed.join(' or ')}`, { field: 'url' });
    if (parsed.username || parsed.password) throw new BadInputError('The URL must not carry credentials', { field: 'url' });
    return parsed.toString();
  }

  /** The organization, if the actor may manage its endpoint (the CLI, `null`, may manage any). */
  private async managedOrganization(em: EntityManager, actor: RequestUser | null, organizationId: string): Promise<Organization> {
    const organization = await findByIdOrFail(em, Organization, organizationId, 'Organization');
    if (!actor) return organization;
    const own = actor.organizationId ? await em.findOne(Organization, { id: actor.organizationId }) : null;
    const reader = { userId: actor.id, role: actor.role, organizationId: actor.organizationId, patientId: actor.patientId };
    if (!mayManageEndpoint(reader, own?.kind ?? null, { id: organization.id, kind: organization.kind })) {
      throw new ForbiddenError("Only the organization's admins, or a program's admins for a partner, manage its endpoint");
    }
    return organization;
  }
}
