import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from '../clinical/clinical-record.entity';
import { ConflictError } from '../../errors';
import { isMoudOrMaud } from '../consent/labels';
import { Organization } from '../organizations/organization.entity';
import type { Patient } from '../patients/patient.entity';
import { DispensingStatus } from '../pharmacy/dispensing-status';

export enum DeaSchedule {
  II = 'II',
  III = 'III',
  IV = 'IV',
  V = 'V',
}
registerEnumType(DeaSchedule, { name: 'DeaSchedule' });

export enum PrescriptionStatus {
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
}
registerEnumType(PrescriptionStatus, { name: 'PrescriptionStatus' });

/** Where a prescription written for a pharmacy stands in reaching it (null: not for a pharmacy, or from another source). */
export enum PrescriptionRouting {
  /** No consent in force names the pharmacy for what the prescription discloses: it waits, and is routed when one is signed. */
  AWAITING_CONSENT = 'AWAITING_CONSENT',
  /** Disclosed to the pharmacy: on its worklist (and sent to its endpoint, where it has one). */
  ROUTED = 'ROUTED',
  /** Stopped while it awaited a consent: never disclosed, and never will be. */
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(PrescriptionRouting, { name: 'PrescriptionRouting' });

export interface PrescriptionData {
  drugName: string;
  rxnormCode?: string | null;
  ingredientRxcui?: string | null;
  dose: string;
  route: string;
  sig: string;
  quantity?: number | null;
  refills?: number | null;
  prescriberId?: string | null;
  deaSchedule?: DeaSchedule | null;
  pharmacy?: Rel<Organization> | null;
  homeDelivery?: boolean | null;
  startDate?: string | null;
}

/**
 * A medication the patient takes: prescribed in the IOP, or listed by another source (a PCP's
 * MedicationStatement). Category MEDICATIONS; SUD for medications for opioid or alcohol use disorder.
 */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.PRESCRIPTION })
export class Prescription extends ClinicalRecord {
  @Field()
  @Property({ type: 'string', length: 200, nullable: true })
  drugName!: string;

  @Field(() => String, { nullable: true, description: 'RxNorm code of the product as prescribed.' })
  @Property({ type: 'string', length: 20, nullable: true })
  rxnormCode: string | null = null;

  @Field(() => String, { nullable: true, description: 'RxNorm ingredient (RxCUI); matches the same drug across sources.' })
  @Property({ type: 'string', length: 20, nullable: true })
  ingredientRxcui: string | null = null;

  @Field()
  @Property({ type: 'string', length: 100, nullable: true })
  dose!: string;

  @Field()
  @Property({ type: 'string', length: 50, nullable: true })
  route!: string;

  @Field({ description: 'Frequency and directions.' })
  @Property({ type: 'string', length: 300, nullable: true })
  sig!: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  quantity: number | null = null;

  @Field(() => Int)
  @Property({ type: 'integer', nullable: true })
  refills: number = 0;

  @Property({ type: 'uuid', nullable: true })
  prescriberId: string | null = null;

  @Field(() => DeaSchedule, { nullable: true })
  @Enum({ items: () => DeaSchedule, nullable: true })
  deaSchedule: DeaSchedule | null = null;

  @Field({ description: 'Medication for opioid or alcohol use disorder (buprenorphine, methadone, naltrexone…).' })
  @Property({ type: 'boolean', nullable: true })
  isMoud: boolean = false;

  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'restrict' })
  pharmacy: Rel<Organization> | null = null;

  @Field()
  @Property({ type: 'boolean', nullable: true })
  homeDelivery: boolean = false;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => PrescriptionStatus)
  @Enum({ items: () => PrescriptionStatus, nullable: true })
  prescriptionStatus: PrescriptionStatus = PrescriptionStatus.ACTIVE;

  @Field(() => String, { nullable: true, description: 'The prescription number the hub gave it (RX- and 6 digits); null for one imported from another source.' })
  @Property({ type: 'string', length: 9, nullable: true, unique: 'clinical_record_rx_number_unique' })
  rxNumber: string | null = null;

  @Field(() => PrescriptionRouting, { nullable: true })
  @Enum({ items: () => PrescriptionRouting, nullable: true })
  routing: PrescriptionRouting | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was disclosed to the pharmacy.' })
  @Property({ type: 'datetime', nullable: true })
  routedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled or discontinued.' })
  @Property({ type: 'timestamptz', nullable: true })
  stoppedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled or discontinued, as the prescriber gave it.' })
  @Property({ type: 'string', length: 500, nullable: true })
  stopReason: string | null = null;
  /** Its latest fill's status at the pharmacy it is routed to; null until one is reported (NEW). */
  @Enum({ items: () => DispensingStatus, nullable: true })
  dispensingStatus: DispensingStatus | null = null;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, data: PrescriptionData) {
    super();
    Object.assign(this, {
      drugName: data.drugName.trim(),
      rxnormCode: data.rxnormCode ?? null,
      ingredientRxcui: data.ingredientRxcui ?? null,
      dose: data.dose,
      route: data.route,
      sig: data.sig,
      quantity: data.quantity ?? null,
      refills: data.refills ?? 0,
      prescriberId: data.prescriberId ?? null,
      deaSchedule: data.deaSchedule ?? null,
      pharmacy: data.pharmacy ?? null,
      homeDelivery: data.homeDelivery ?? false,
      startDate: data.startDate ?? null,
    });
    this.isMoud = isMoudOrMaud(this.drugName, this.ingredientRxcui);
    this.init(patient, provenance, { kind: 'PRESCRIPTION', drugName: this.drugName, ingredientRxcui: this.ingredientRxcui });
  }

  /** Written in the hub: it gets the hub's prescription number (imported ones keep their source's identifiers). */
  numbered(rxNumber: string): void {
    if (this.rxNumber) throw new ConflictError('A prescription keeps its number', { prescriptionId: this.id });
    this.rxNumber = rxNumber;
  }

  /** No consent in force covers it yet: it waits for one. */
  awaitConsent(): void {
    this.assertRoutable();
    if (this.routing !== null) throw new ConflictError(`A prescription that is ${this.routing} cannot await a consent`, { prescriptionId: this.id });
    this.routing = PrescriptionRouting.AWAITING_CONSENT;
  }

  /** Disclosed to its pharmacy, now or when the consent it awaited was signed. */
  markRouted(at: Date = new Date()): void {
    this.assertRoutable();
    if (this.routing !== null && this.routing !== PrescriptionRouting.AWAITING_CONSENT) {
      throw new ConflictError(`A prescription that is ${this.routing} cannot be routed`, { prescriptionId: this.id });
    }
    this.routing = PrescriptionRouting.ROUTED;
    this.routedAt = at;
  }

  /**
   * Cancelled or discontinued. One awaiting a consent is withdrawn (never disclosed); returns
   * whether its pharmacy already has it, and so must be told.
   */
  stop(reason: string | null, at: Date = new Date()): { pharmacyToBeTold: boolean } {
    if (this.prescriptionStatus === PrescriptionStatus.STOPPED) throw new ConflictError('The prescription is already stopped', { prescriptionId: this.id });
    this.prescriptionStatus = PrescriptionStatus.STOPPED;
    this.stoppedAt = at;
    this.stopReason = reason;
    if (this.routing === PrescriptionRouting.AWAITING_CONSENT) this.routing = PrescriptionRouting.WITHDRAWN;
    return { pharmacyToBeTold: this.routing === PrescriptionRouting.ROUTED };
  }

  private assertRoutable(): void {
    if (!this.pharmacy) throw new ConflictError('A prescription without a pharmacy is not routed', { prescriptionId: this.id });
    if (this.prescriptionStatus !== PrescriptionStatus.ACTIVE) throw new ConflictError('A stopped prescription is not routed', { prescriptionId: this.id });
  }
}
