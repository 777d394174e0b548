import { Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import type { WebhookDeliveryState } from './webhook-delivery';

export enum WebhookDeliveryStatus {
  /** Waiting for the queue (or retrying). */
  PENDING = 'PENDING',
  /** The organization's endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** The organization has no endpoint: its worklist or inbox in the hub is the channel. */
  NO_ENDPOINT = 'NO_ENDPOINT',
  /** Refused (4xx) or unreachable after every retry; whoever sent it was told, an admin may retry. */
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

const transitions: Transitions<WebhookDeliveryStatus> = {
  [WebhookDeliveryStatus.PENDING]: [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.NO_ENDPOINT, WebhookDeliveryStatus.FAILED],
  // An admin's retry of the failed job may still get it through.
  [WebhookDeliveryStatus.FAILED]: [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.NO_ENDPOINT, WebhookDeliveryStatus.FAILED],
  [WebhookDeliveryStatus.DELIVERED]: [],
  [WebhookDeliveryStatus.NO_ENDPOINT]: [],
};

/**
 * A message queued for an organization's webhook endpoint, and how its delivery fared (see
 * `deliverWebhookOfJob`): a pharmacy dispatch, a referral letter.
 */
@ObjectType()
export abstract class WebhookMessage extends BaseEntity implements WebhookDeliveryState {
  @Field(() => WebhookDeliveryStatus)
  @Enum({ items: () => WebhookDeliveryStatus })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'POSTs made so far.' })
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer; null when none came (timeout, refused connection).' })
  @Property({ type: 'integer', nullable: true })
  lastResponseStatus: number | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  failedAt: Date | null = null;

  /** Nothing left to send: delivered, or the organization has no endpoint. */
  get isSettled(): boolean {
    return this.status === WebhookDeliveryStatus.DELIVERED || this.status === WebhookDeliveryStatus.NO_ENDPOINT;
  }

  attempted(responseStatus: number | null): void {
    this.attempts += 1;
    this.lastResponseStatus = responseStatus;
  }

  delivered(at: Date = new Date()): void {
    this.moveTo(WebhookDeliveryStatus.DELIVERED);
    this.deliveredAt = at;
  }

  noEndpoint(): void {
    this.moveTo(WebhookDeliveryStatus.NO_ENDPOINT);
  }

  failed(at: Date = new Date()): void {
    this.moveTo(WebhookDeliveryStatus.FAILED);
    this.failedAt = at;
  }

  private moveTo(status: WebhookDeliveryStatus): void {
    assertTransition(transitions, `A ${this.constructor.name}`, this.status, status);
    this.status = status;
  }
}
