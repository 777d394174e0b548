import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { WebhookMessage } from '../webhooks/webhook-message.entity';
import { Referral } from './referral.entity';

/**
 * One version of a referral's letter as rendered and delivered: the PDF's bytes and SHA-256, when
 * it reached the recipient's in-hub inbox, and how its webhook to the recipient's endpoint fared
 * (`status`, `attempts`, ...: FAILED makes the referral FAILED). One per referral and
 * letter version (a rerun of the job stores nothing twice); the `Idempotency-Key` the recipient's
 * endpoint sees is `<referral id>/<version>`.
 */
@ObjectType({ description: "A version of a referral's letter (a PDF) and how it was delivered." })
@Entity()
@Unique({ properties: ['referral', 'version'] })
export class ReferralLetter extends WebhookMessage {
  @ManyToOne(() => Referral, { deleteRule: 'cascade' })
  referral: Rel<Referral>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  version: number;

  @Field({ description: "The PDF's SHA-256, hex." })
  @Property({ type: 'string', length: 64 })
  sha256: string;

  @Property({ type: 'blob', lazy: true })
  bytes: Buffer;

  @Field(() => GraphQLDateTime, { nullable: true, description: "When it reached the recipient organization's inbox in the hub." })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredToInboxAt: Date | null = null;

  constructor(referral: Rel<Referral>, version: number, bytes: Buffer, sha256: string) {
    super();
    this.referral = referral;
    this.version = version;
    this.bytes = bytes;
    this.sha256 = sha256;
  }

  @Field(() => ID)
  get referralId(): string {
    return this.referral.id;
  }

  deliverToInbox(at: Date = new Date()): void {
    this.deliveredToInboxAt ??= at;
  }
}
