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

  /** A new URL and secret; the old secret stops signing at once. */
  reset(url: string, sealedSecret: string, setById: string | null): void {
    Object.assign(this, { url, sealedSecret, setById, setAt: new Date() });
  }
}
