import { Collection, Entity, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { ConflictError } from '../../errors';
import { Organization } from '../organizations/organization.entity';

/** What a source key looks like in a URL (`POST /ingest/pharmacy/:source`). */
export const sourceKeyPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

/**
 * A partner system that posts signed webhooks to the hub (today: a pharmacy's delivery events),
 * named by a key in the URL. It signs with one of its secrets; several are current while a secret
 * is rotated, until the old one is retired.
 */
@ObjectType({ description: 'A partner system that posts signed webhooks; never shows its secrets.' })
@Entity()
export class WebhookSource extends BaseEntity {
  @Field({ description: 'The key in the webhook URL, e.g. acme-pharmacy.' })
  @Property({ type: 'string', length: 64, unique: true })
  key: string;

  @ManyToOne(() => Organization, { deleteRule: 'restrict', index: true })
  organization: Rel<Organization>;

  @OneToMany(() => WebhookSecret, (secret) => secret.source)
  secrets = new Collection<WebhookSecret>(this);

  constructor(key: string, organization: Rel<Organization>) {
    super();
    this.key = key;
    this.organization = organization;
  }
}

/** One secret of a source, sealed at rest (SecretBox); retired secrets no longer verify anything. */
@ObjectType({ description: 'A webhook secret: when it was made and retired; never its value.' })
@Entity()
export class WebhookSecret extends BaseEntity {
  @ManyToOne(() => WebhookSource, { deleteRule: 'cascade', index: true })
  source: Rel<WebhookSource>;

  @Property({ type: 'text' })
  sealed: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  retiredById: string | null = null;

  constructor(source: Rel<WebhookSource>, sealed: string) {
    super();
    this.source = source;
    this.sealed = sealed;
  }

  get isCurrent(): boolean {
    return this.retiredAt === null;
  }

  retire(by: string, at: Date = new Date()): void {
    if (this.retiredAt) throw new ConflictError('This secret was already retired', { secretId: this.id });
    this.retiredAt = at;
    this.retiredById = by;
  }
}
