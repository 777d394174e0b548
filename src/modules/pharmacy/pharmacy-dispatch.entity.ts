import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { Prescription } from '../medications/prescription.entity';
import { Organization } from '../organizations/organization.entity';

/** What a message to the pharmacy says of a routed prescription (the FHIR MedicationRequest status it carries). */
export enum DispatchKind {
  /** Dispense it (`active`). */
  ORDER = 'ORDER',
  /** Withdrawn by the prescriber (`cancelled`). */
  CANCEL = 'CANCEL',
  /** Discontinued at reconciliation (`stopped`). */
  STOP = 'STOP',
}
registerEnumType(DispatchKind, { name: 'PharmacyDispatchKind' });

export enum DispatchStatus {
  /** Waiting for the queue (or retrying). */
  PENDING = 'PENDING',
  /** The pharmacy's endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** The pharmacy has no endpoint: its worklist is the channel. */
  NO_ENDPOINT = 'NO_ENDPOINT',
  /** Refused (4xx) or unreachable after every retry; the prescriber was told, an admin may retry. */
  FAILED = 'FAILED',
}
registerEnumType(DispatchStatus, { name: 'PharmacyDispatchStatus' });

const transitions: Transitions<DispatchStatus> = {
  [DispatchStatus.PENDING]: [DispatchStatus.DELIVERED, DispatchStatus.NO_ENDPOINT, DispatchStatus.FAILED],
  // An admin's retry of the failed job may still get it through.
  [DispatchStatus.FAILED]: [DispatchStatus.DELIVERED, DispatchStatus.NO_ENDPOINT, DispatchStatus.FAILED],
  [DispatchStatus.DELIVERED]: [],
  [DispatchStatus.NO_ENDPOINT]: [],
};

/**
 * One message of a routed prescription to its pharmacy's webhook endpoint and how it fared. Its id
 * is the `Idempotency-Key` the pharmacy sees: every retry of one message carries the same key.
 */
@ObjectType({ description: 'A message about a routed prescription to its pharmacy, and whether it got there.' })
@Entity()
export class PharmacyDispatch extends BaseEntity {
  @ManyToOne(() => Prescription, { deleteRule: 'cascade', index: true })
  prescription: Rel<Prescription>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  pharmacy: Rel<Organization>;

  @Field(() => DispatchKind)
  @Enum({ items: () => DispatchKind })
  kind: DispatchKind;

  @Field(() => DispatchStatus)
  @Enum({ items: () => DispatchStatus })
  status: DispatchStatus = DispatchStatus.PENDING;

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

  constructor(prescription: Rel<Prescription>, pharmacy: Rel<Organization>, kind: DispatchKind) {
    super();
    this.prescription = prescription;
    this.pharmacy = pharmacy;
    this.kind = kind;
  }

  get isSettled(): boolean {
    return this.status === DispatchStatus.DELIVERED || this.status === DispatchStatus.NO_ENDPOINT;
  }

  /** One POST made; `responseStatus` null when no answer came. */
  attempted(responseStatus: number | null): void {
    this.attempts += 1;
    this.lastResponseStatus = responseStatus;
  }

  delivered(at: Date = new Date()): void {
    this.moveTo(DispatchStatus.DELIVERED);
    this.deliveredAt = at;
  }

  noEndpoint(): void {
    this.moveTo(DispatchStatus.NO_ENDPOINT);
  }

  failed(at: Date = new Date()): void {
    this.moveTo(DispatchStatus.FAILED);
    this.failedAt = at;
  }

  private moveTo(status: DispatchStatus): void {
    assertTransition(transitions, 'A pharmacy dispatch', this.status, status);
    this.status = status;
  }
}
