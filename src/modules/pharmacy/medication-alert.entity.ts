import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { DataCategory } from '../consent/data-category';
import { Prescription } from '../medications/prescription.entity';
import { Organization } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { Delivery } from './delivery.entity';

export enum MedicationAlertKind {
  /** Not delivered by its estimated date (the care team; urgent and the on-call too for MOUD). */
  DELIVERY_LATE = 'DELIVERY_LATE',
  /** The carrier reported a problem (the prescriber, at once). */
  DELIVERY_EXCEPTION = 'DELIVERY_EXCEPTION',
  /** The parcel went back to the pharmacy (the prescriber, at once). */
  DELIVERY_RETURNED = 'DELIVERY_RETURNED',
  /** A scheduled drug delivered without a signature (the care team). */
  CONTROLLED_DELIVERY_UNSIGNED = 'CONTROLLED_DELIVERY_UNSIGNED',
  /** The pharmacy did not dispense a fill (the prescriber, at once). */
  NOT_DISPENSED = 'NOT_DISPENSED',
  /** A refill is later than the configured threshold (the care team). */
  REFILL_LATE = 'REFILL_LATE',
}
registerEnumType(MedicationAlertKind, { name: 'MedicationAlertKind' });

export enum AlertUrgency {
  ROUTINE = 'ROUTINE',
  URGENT = 'URGENT',
}
registerEnumType(AlertUrgency, { name: 'AlertUrgency' });

/**
 * Something about a patient's medication the care team must see: a delivery late, held up or
 * returned, a controlled substance left unsigned, a fill not dispensed, a refill late. Raised once
 * per subject and kind (a unique key), so a rerun, a resend or a second sweep never raises it
 * twice; acknowledged by a clinician on the care team, who and when kept. Its categories are its
 * prescription's, its source the pharmacy that reported what raised it, and Part 2 judges it as
 * the prescribing organization's record (`derivedFrom`).
 */
@ObjectType({ description: "An alert about a patient's medication or its delivery (MEDICATIONS; SUD for MOUD)." })
@Entity()
@Unique({ name: 'medication_alert_once', properties: ['kind', 'subjectKey'] })
@Index({ properties: ['patient', 'createdAt'] })
export class MedicationAlert extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade' })
  patient: Rel<Patient>;

  @ManyToOne(() => Prescription, { deleteRule: 'cascade', index: true })
  prescription: Rel<Prescription>;

  @ManyToOne(() => Delivery, { deleteRule: 'cascade', nullable: true, index: true })
  delivery: Rel<Delivery> | null;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sourceOrganization: Rel<Organization>;

  /** The organization that wrote its prescription: Part 2 judges the alert as that organization's record, as it does a fill. */
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  derivedFrom: Rel<Organization>;

  @Field(() => [DataCategory])
  @Enum({ items: () => DataCategory, array: true })
  categories: DataCategory[];

  @Field(() => MedicationAlertKind)
  @Enum({ items: () => MedicationAlertKind })
  kind: MedicationAlertKind;

  /** What it is raised about, once per kind: a delivery's id, a dispense record's, a prescription and fill… */
  @Property({ type: 'string', length: 200 })
  subjectKey: string;

  @Field(() => AlertUrgency)
  @Enum({ items: () => AlertUrgency })
  urgency: AlertUrgency;

  @Field({ description: 'Why it was raised, in codes and dates only.' })
  @Property({ type: 'string', length: 300 })
  reason: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  acknowledgedById: string | null = null;

  /** The pharmacy's own acknowledgement, apart from the care team's: a pharmacist having seen it clears nothing for the prescriber. */
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a pharmacist of the pharmacy the prescription is routed to acknowledged it.' })
  @Property({ type: 'timestamptz', nullable: true })
  pharmacyAcknowledgedAt: Date | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  pharmacyAcknowledgedById: string | null = null;

  constructor(init: {
    kind: MedicationAlertKind;
    subjectKey: string;
    urgency: AlertUrgency;
    reason: string;
    prescription: Rel<Prescription>;
    delivery?: Rel<Delivery> | null;
    sourceOrganization: Rel<Organization>;
  }) {
    super();
    this.kind = init.kind;
    this.subjectKey = init.subjectKey;
    this.urgency = init.urgency;
    this.reason = init.reason;
    this.prescription = init.prescription;
    this.patient = init.prescription.patient;
    this.categories = [...init.prescription.categories];
    this.delivery = init.delivery ?? null;
    this.sourceOrganization = init.sourceOrganization;
    this.derivedFrom = init.prescription.sourceOrganization;
  }

  @Field({ description: 'Whether a clinician on the care team acknowledged it.' })
  get acknowledged(): boolean {
    return this.acknowledgedAt !== null;
  }

  /** Acknowledged once; acknowledging again by anyone changes nothing (who and when stay the first's). */
  acknowledge(by: string, at: Date = new Date()): void {
    if (this.acknowledgedAt) return;
    this.acknowledgedAt = at;
    this.acknowledgedById = by;
  }

  /** Acknowledged by the pharmacy once, as `acknowledge` is by the care team, and independently of it. */
  acknowledgeForPharmacy(by: string, at: Date = new Date()): void {
    if (this.pharmacyAcknowledgedAt) return;
    this.pharmacyAcknowledgedAt = at;
    this.pharmacyAcknowledgedById = by;
  }
}
