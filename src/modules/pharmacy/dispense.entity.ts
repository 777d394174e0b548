import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from '../clinical/clinical-record.entity';
import { Prescription } from '../medications/prescription.entity';
import { Organization } from '../organizations/organization.entity';
import type { Patient } from '../patients/patient.entity';
import { FillStatus, NotDispensedReason } from './dispensing-status';
import type { FillReport } from './fill-rules';

/** A fill report as the record keeps it: the NDC normalized (11 digits, 5-4-2), the receiving pharmacy loaded. */
export type DispenseData = Omit<FillReport, 'transferredToId'> & { transferredTo?: Rel<Organization> | null };

/**
 * What a pharmacy reported of one fill of a prescription routed to it (NCPDP SCRIPT RxFill): a
 * record of the patient's, with the pharmacy as its source. Category MEDICATIONS, SUD when the
 * prescription is for MOUD/MAUD; judged for Part 2 as the prescribing organization's record
 * (`derivedFrom`), since it reveals that prescription.
 */
@ObjectType({ implements: ClinicalRecord, description: 'A fill a pharmacy reported: dispensed, partly dispensed, not dispensed or transferred.' })
@Entity({ discriminatorValue: ClinicalRecordKind.DISPENSE })
// A fill is dispensed once: two confirmations racing past the prescription's lock still cannot both land.
@Index({
  name: 'clinical_record_fill_dispensed_unique',
  expression: `create unique index "clinical_record_fill_dispensed_unique" on "clinical_record" ("prescription_id", "fill_number") where "fill_status" = 'DISPENSED'`,
})
export class Dispense extends ClinicalRecord {
  @ManyToOne(() => Prescription, { nullable: true, deleteRule: 'set null' })
  prescription!: Rel<Prescription>;

  /** The organization that wrote the prescription: a fill reveals that prescription, so Part 2 judges it as that organization's. */
  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'restrict' })
  derivedFrom!: Rel<Organization>;

  @Field({ description: 'The drug as the prescription names it.' })
  @Property({ type: 'string', length: 200, nullable: true })
  drugName!: string;

  @Field(() => Int, { description: '0 for the first fill, 1 for the first refill, and so on.' })
  @Property({ type: 'integer', nullable: true })
  fillNumber!: number;

  @Field(() => FillStatus)
  @Enum({ items: () => FillStatus, nullable: true })
  fillStatus!: FillStatus;

  @Field(() => Float, { nullable: true, description: 'Quantity handed over in this record.' })
  @Property({ type: 'double', nullable: true })
  dispensedQuantity: number | null = null;

  @Field(() => Float, { nullable: true, description: 'What remains to dispense of a partial fill.' })
  @Property({ type: 'double', nullable: true })
  remainingQuantity: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  daysSupply: number | null = null;

  @Field(() => String, { nullable: true, description: 'National Drug Code, 11 digits (5-4-2).' })
  @Property({ type: 'string', length: 13, nullable: true })
  ndc: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  lotNumber: string | null = null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'The day it was handed over or shipped.' })
  @Property({ type: 'date', nullable: true })
  dispensedOn: string | null = null;

  @Field(() => NotDispensedReason, { nullable: true })
  @Enum({ items: () => NotDispensedReason, nullable: true })
  notDispensedReason: NotDispensedReason | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 1000, nullable: true })
  note: string | null = null;

  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'restrict' })
  transferredTo: Rel<Organization> | null = null;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, prescription: Prescription, data: DispenseData) {
    super();
    this.prescription = prescription;
    this.derivedFrom = prescription.sourceOrganization;
    this.drugName = prescription.drugName;
    this.fillNumber = data.fillNumber;
    this.fillStatus = data.status;
    this.dispensedQuantity = data.quantity ?? null;
    this.remainingQuantity = data.remainingQuantity ?? null;
    this.daysSupply = data.daysSupply ?? null;
    this.ndc = data.ndc ?? null;
    this.lotNumber = data.lotNumber ?? null;
    this.dispensedOn = data.dispensedOn ?? null;
    this.notDispensedReason = data.reason ?? null;
    this.note = data.note ?? null;
    this.transferredTo = data.transferredTo ?? null;
    this.init(patient, provenance, { kind: 'DISPENSE', onSudMedication: prescription.isMoud });
  }
}
