import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from '../clinical/clinical-record.entity';
import { isDrugScreen } from '../consent/labels';
import type { Patient } from '../patients/patient.entity';

/** Where a lab order stands, as the lab reports it in OBR-25 (HL7 table 0123). */
export enum LabOrderStatus {
  ORDERED = 'ORDERED',
  SCHEDULED = 'SCHEDULED',
  IN_PROCESS = 'IN_PROCESS',
  RESULTS_IN_PART = 'RESULTS_IN_PART',
  PRELIMINARY = 'PRELIMINARY',
  FINAL = 'FINAL',
  CORRECTED = 'CORRECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(LabOrderStatus, { name: 'LabOrderStatus' });

/** OBR-25 codes (table 0123) as statuses; an order without one is taken as ordered. */
export const labOrderStatusOf: Record<string, LabOrderStatus> = {
  O: LabOrderStatus.ORDERED,
  S: LabOrderStatus.SCHEDULED,
  I: LabOrderStatus.IN_PROCESS,
  A: LabOrderStatus.RESULTS_IN_PART,
  R: LabOrderStatus.PRELIMINARY,
  P: LabOrderStatus.PRELIMINARY,
  F: LabOrderStatus.FINAL,
  C: LabOrderStatus.CORRECTED,
  X: LabOrderStatus.CANCELLED,
};

export interface LabOrderData {
  orderId: string;
  testName: string;
  loincCode: string | null;
  status: LabOrderStatus;
  statusChangedAt: Date | null;
  comment: string | null;
}

/**
 * A test the lab was asked to run and where it stands (specimen received, scheduled, results to
 * come, final, cancelled), so a clinician knows a result is coming before it comes (LABS; SUD for
 * drug tests). Each status report is a version; the latest is current.
 */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.LAB_ORDER })
export class LabOrder extends ClinicalRecord {
  @Field({ description: "The lab's order number (OBR-3 filler, else OBR-2 placer)." })
  @Property({ type: 'string', length: 200, nullable: true })
  orderId!: string;

  @Field({ description: 'The test ordered (OBR-4).' })
  @Property({ type: 'string', length: 300, nullable: true })
  testName!: string;

  @Field(() => LabOrderStatus)
  @Enum({ items: () => LabOrderStatus, nullable: true })
  orderStatus!: LabOrderStatus;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the lab reached that status (OBR-22).' })
  @Property({ type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null = null;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, data: LabOrderData) {
    super();
    this.orderId = data.orderId;
    this.testName = data.testName;
    this.orderStatus = data.status;
    this.statusChangedAt = data.statusChangedAt;
    this.init(patient, provenance, { kind: 'LAB_ORDER', drugScreen: isDrugScreen(data.testName, data.loincCode) });
  }

  /** Whether this report is later than `other` (by the lab's status time, else by arrival). */
  isLaterThan(other: Pick<LabOrder, 'statusChangedAt' | 'receivedAt'>): boolean {
    return (this.statusChangedAt ?? this.receivedAt).getTime() >= (other.statusChangedAt ?? other.receivedAt).getTime();
  }
}
