import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import type { WebhookDeliveryState } from '../webhooks/webhook-delivery';
import { Referral } from './referral.entity';

export enum LetterWebhookStatus {
  /** Being sent (or retried). */
  PENDING = 'PENDING',
  /** The recipient's endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** The recipient organization has no endpoint: its in-hub inbox is the channel. */
  NO_ENDPOINT = 'NO_ENDPOINT',
  /** Refused (4xx) or unreachable after every retry: the referral is FAILED. */
  FAILED = 'FAILED',
}
registerEnumType(LetterWebhookStatus, { name: 'LetterWebhookStatus' });

const webhookTransitions: Transitions<LetterWebhookStatus> = {
  [LetterWebhookStatus.PENDING]: [LetterWebhookStatus.DELIVERED, LetterWebhookStatus.NO_ENDPOINT, LetterWebhookStatus.FAILED],
  // An admin's retry of the failed job may still get it through.
  [LetterWebhookStatus.FAILED]: [LetterWebhookStatus.DELIVERED, LetterWebhookStatus.NO_ENDPOINT, LetterWebhookStatus.FAILED],
  [LetterWebhookStatus.DELIVERED]: [],
  [LetterWebhookStatus.NO_ENDPOINT]: [],
};

/**
 * One version of a referral's letter as rendered and delivered: the PDF's bytes and SHA-256, when
 * it reached the recipient's in-hub inbox, and how its webhook delivery fared. One per referral and
 * letter version (a rerun of the job stores nothing twice); the `Idempotency-Key` the recipient's
 * endpoint sees is `<referral id>/<version>`.
 */
@ObjectType({ description: "A version of a referral's letter (a PDF) and how it was delivered." })
@Entity()
@Unique({ properties: ['referral', 'version'] })
export class ReferralLetter extends BaseEntity implements WebhookDeliveryState {
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

  @Field(() => LetterWebhookStatus)
  @Enum({ items: () => LetterWebhookStatus })
  webhookStatus: LetterWebhookStatus = LetterWebhookStatus.PENDING;

  @Field(() => Int, { description: "POSTs made to the recipient's endpoint so far." })
  @Property({ type: 'integer' })
  webhookAttempts: number = 0;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer; null when none came.' })
  @Property({ type: 'integer', nullable: true })
  lastResponseStatus: number | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  webhookDeliveredAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  webhookFailedAt: Date | null = null;

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

  /** Nothing left to send: delivered, or the inbox is the only channel. */
  get isSettled(): boolean {
    return this.webhookStatus === LetterWebhookStatus.DELIVERED || this.webhookStatus === LetterWebhookStatus.NO_ENDPOINT;
  }

  deliverToInbox(at: Date = new Date()): void {
    this.deliveredToInboxAt ??= at;
  }

  attempted(responseStatus: number | null): void {
    this.webhookAttempts += 1;
    this.lastResponseStatus = responseStatus;
  }

  delivered(at: Date = new Date()): void {
    this.moveTo(LetterWebhookStatus.DELIVERED);
    this.webhookDeliveredAt = at;
  }

  noEndpoint(): void {
    this.moveTo(LetterWebhookStatus.NO_ENDPOINT);
  }

  failed(at: Date = new Date()): void {
    this.moveTo(LetterWebhookStatus.FAILED);
    this.webhookFailedAt = at;
  }

  private moveTo(status: LetterWebhookStatus): void {
    assertTransition(webhookTransitions, 'A referral letter delivery', this.webhookStatus, status);
    this.webhookStatus = status;
  }
}
