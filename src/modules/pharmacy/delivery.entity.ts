import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { DataCategory } from '../consent/data-category';
import { Prescription } from '../medications/prescription.entity';
import { Organization } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import type { DeliveryReason, DeliveryShipment, DeliverySignature, DeliveryUpdate } from './delivery-event.schema';

export enum DeliveryStatus {
  RECEIVED = 'RECEIVED',
  PROCESSING = 'PROCESSING',
  SHIPPED = 'SHIPPED',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  DELIVERED = 'DELIVERED',
  EXCEPTION = 'EXCEPTION',
  RETURNED = 'RETURNED',
}
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });

/** Once reached, the delivery's status never changes again. */
export const terminalStatuses: ReadonlySet<DeliveryStatus> = new Set([DeliveryStatus.DELIVERED, DeliveryStatus.RETURNED]);

/** How far along a parcel is, to order two events that happened at the same instant. */
const progress: Record<DeliveryStatus, number> = {
  RECEIVED: 0,
  PROCESSING: 1,
  SHIPPED: 2,
  OUT_FOR_DELIVERY: 3,
  EXCEPTION: 4,
  DELIVERED: 5,
  RETURNED: 5,
};

/** How an event reached the hub. */
export enum DeliveryEventOrigin {
  WEBHOOK = 'WEBHOOK',
  PHARMACIST = 'PHARMACIST',
}
registerEnumType(DeliveryEventOrigin, { name: 'DeliveryEventOrigin' });

/**
 * When a delivery estimated for `estimate` is late: past that instant for a date and time, past
 * the end of the day (UTC) for a date alone.
 */
export function lateAfterOf(estimate: string | undefined): Date | null {
  if (!estimate) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(estimate)) return new Date(Date.parse(`${estimate}T00:00:00Z`) + 24 * 3600 * 1000);
  return new Date(estimate);
}

/**
 * The delivery of one fill (fill number 0, 1, … per refill) of a prescription routed to a
 * pharmacy, as the pharmacy reports it: every accepted event in its history, and a current status.
 * Its categories are the prescription's (MEDICATIONS; SUD for MOUD); its source is the pharmacy.
 */
@ObjectType({ description: "A fill's delivery as its pharmacy reports it, with its history (MEDICATIONS; SUD for MOUD)." })
@Entity()
@Unique({ properties: ['prescription', 'fillNumber'] })
@Index({ name: 'delivery_late_after_index', properties: ['lateAfter'] })
export class Delivery extends BaseEntity {
  @ManyToOne(() => Prescription, { deleteRule: 'cascade' })
  prescription: Rel<Prescription>;

  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  /** The pharmacy that reports it: the record's source. */
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sourceOrganization: Rel<Organization>;

  @Field(() => [DataCategory])
  @Enum({ items: () => DataCategory, array: true })
  categories: DataCategory[];

  @Field(() => Int)
  @Property({ type: 'smallint' })
  fillNumber: number;

  @Field(() => DeliveryStatus)
  @Enum({ items: () => DeliveryStatus })
  status: DeliveryStatus;

  @Field(() => GraphQLDateTime, { description: 'When the event that set the current status happened.' })
  @Property({ type: 'timestamptz' })
  statusOccurredAt: Date;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Carrier, tracking number, service and estimated delivery, as last reported.' })
  @Property({ type: 'jsonb', nullable: true })
  shipment: DeliveryShipment | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The signature on delivery (required, obtained, method, signer…).' })
  @Property({ type: 'jsonb', nullable: true })
  signature: DeliverySignature | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Why it is held up or returned, as last reported.' })
  @Property({ type: 'jsonb', nullable: true })
  reason: DeliveryReason | null = null;

  /** When it is late if not delivered by then (from the estimated delivery); the sweep alerts past it. */
  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lateAfter: Date | null = null;

  @OneToMany(() => DeliveryEvent, (event) => event.delivery)
  events = new Collection<DeliveryEvent>(this);

  constructor(prescription: Rel<Prescription>, pharmacy: Rel<Organization>, first: DeliveryUpdate) {
    super();
    this.prescription = prescription;
    this.patient = prescription.patient;
    this.sourceOrganization = pharmacy;
    this.categories = [...prescription.categories];
    this.fillNumber = first.fillNumber;
    this.status = first.status as DeliveryStatus;
    this.statusOccurredAt = new Date(first.occurredAt);
  }

  get isTerminal(): boolean {
    return terminalStatuses.has(this.status);
  }

  /**
   * Takes an accepted event into the current state. The status is the latest event's, except
   * that a terminal status is never replaced, a terminal event is a fact whenever it happened, and
   * an event older than the current status never moves it backwards. Returns whether the status changed.
   */
  take(update: DeliveryUpdate, isFirst: boolean): boolean {
    const status = update.status as DeliveryStatus;
    const occurredAt = new Date(update.occurredAt);
    const newer =
      occurredAt.getTime() > this.statusOccurredAt.getTime() ||
      (occurredAt.getTime() === this.statusOccurredAt.getTime() && progress[status] >= progress[this.status]);
    if (update.shipment && (newer || !this.shipment)) {
      this.shipment = update.shipment;
      this.lateAfter = lateAfterOf(update.shipment.estimatedDelivery);
    }
    if (update.reason && (newer || !this.reason)) this.reason = update.reason;
    if (update.signature && status === DeliveryStatus.DELIVERED) this.signature = update.signature;
    if (isFirst || this.isTerminal) return isFirst;
    if (!newer && !terminalStatuses.has(status)) return false;
    const changed = this.status !== status;
    this.status = status;
    this.statusOccurredAt = occurredAt;
    return changed;
  }
}

/** One accepted event of a delivery, kept as it came (ordered by when it happened). */
@ObjectType({ description: 'One event of a delivery as the pharmacy reported it.' })
@Entity()
@Unique({ properties: ['sourceOrganization', 'eventId'] })
@Index({ properties: ['delivery', 'occurredAt'] })
export class DeliveryEvent extends BaseEntity {
  @ManyToOne(() => Delivery, { deleteRule: 'cascade' })
  delivery: Rel<Delivery>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sourceOrganization: Rel<Organization>;

  @Field({ description: "The pharmacy's id for the event (a pharmacist's update gets one of the hub's)." })
  @Property({ type: 'string', length: 64 })
  eventId: string;

  @Field(() => DeliveryStatus)
  @Enum({ items: () => DeliveryStatus })
  status: DeliveryStatus;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz' })
  occurredAt: Date;

  @Field(() => DeliveryEventOrigin)
  @Enum({ items: () => DeliveryEventOrigin })
  origin: DeliveryEventOrigin;

  @Field(() => ID, { nullable: true, description: 'The inbound message it came in (webhook).' })
  @Property({ type: 'uuid', nullable: true, unique: true })
  inboxMessageId: string | null;

  @Field(() => ID, { nullable: true, description: 'The pharmacist who set it (GraphQL).' })
  @Property({ type: 'uuid', nullable: true })
  recordedById: string | null;

  /** The event's content (status, shipment, signature, reason, note). */
  @Field(() => GraphQLJSONObject)
  @Property({ type: 'jsonb' })
  detail: DeliveryUpdate;

  constructor(delivery: Rel<Delivery>, eventId: string, update: DeliveryUpdate, origin: { inboxMessageId: string } | { recordedById: string }) {
    super();
    this.delivery = delivery;
    this.sourceOrganization = delivery.sourceOrganization;
    this.eventId = eventId;
    this.status = update.status as DeliveryStatus;
    this.occurredAt = new Date(update.occurredAt);
    this.detail = update;
    this.origin = 'inboxMessageId' in origin ? DeliveryEventOrigin.WEBHOOK : DeliveryEventOrigin.PHARMACIST;
    this.inboxMessageId = 'inboxMessageId' in origin ? origin.inboxMessageId : null;
    this.recordedById = 'recordedById' in origin ? origin.recordedById : null;
  }
}
