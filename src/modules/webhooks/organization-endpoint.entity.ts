import { Entity, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { Organization } from '../organizations/organization.entity';

/**
 * Where the hub POSTs an organization's signed webhooks (prescriptions to a pharmacy; referrals to
 * a practice or local provider), one endpoint per organization. The signing secret is kept sealed
 * (`SecretBox`): it is shown once, when set, and never again.
 */
@ObjectType({ description: "An organization's webhook endpoint; its signing secret is shown only when it is set." })
@Entity()
export class OrganizationEndpoint extends BaseEntity {
  @ManyToOne(() => Organization, { deleteRule: 'cascade', unique: true })
  organization: Rel<Organization>;

  @Field()
  @Property({ type: 'string', length: 2000 })
  url: string;

  /** The HMAC secret, sealed with `SecretBox`. */
  @Property({ type: 'text' })
  sealedSecret: string;

  /** The secret replaced by the last setting, sealed, still signing beside the new one until `previousSecretUntil` (a rotation). */
  @Property({ type: 'text', nullable: true })
  previousSealedSecret: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Until when the previous secret still signs beside the current one (a rotation); null when it no longer does.' })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretUntil: Date | null = null;

  @Field(() => GraphQLDateTime, { description: 'When the URL or secret was last set.' })
  @Property({ type: 'timestamptz' })
  setAt: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  setById: string | null;

  constructor(organization: Rel<Organization>, url: string, sealedSecret: string, setById: string | null) {
    super();
    this.organization = organization;
    this.url = url;
    this.sealedSecret = sealedSecret;
    this.setById = setById;
  }

  /**
   * A new URL and secret. The old secret stops signing at once, or (a rotation) keeps signing beside
   * the new one for `keepPreviousForMs`, so the receiver can switch without refusing deliveries.
   */
  reset(url: string, sealedSecret: string, setById: string | null, keepPreviousForMs = 0, now = new Date()): void {
    const keep = keepPreviousForMs > 0;
    Object.assign(this, {
      url,
      previousSealedSecret: keep ? this.sealedSecret : null,
      previousSecretUntil: keep ? new Date(now.getTime() + keepPreviousForMs) : null,
      sealedSecret,
      setById,
      setAt: now,
    });
  }

  /** The sealed secrets that sign now, the current one first. */
  signingSealedSecrets(now = new Date()): string[] {
    const previousSigns = this.previousSealedSecret !== null && this.previousSecretUntil !== null && this.previousSecretUntil > now;
    return previousSigns ? [this.sealedSecret, this.previousSealedSecret!] : [this.sealedSecret];
  }
}
