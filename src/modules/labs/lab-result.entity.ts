import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from '../clinical/clinical-record.entity';
import { isDrugScreen } from '../consent/labels';
import type { Patient } from '../patients/patient.entity';

export enum ResultStatus {
  PRELIMINARY = 'PRELIMINARY',
  FINAL = 'FINAL',
  CORRECTED = 'CORRECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ResultStatus, { name: 'ResultStatus' });

export interface LabResultData {
  loincCode?: string | null;
  testName: string;
  valueNumeric?: number | null;
  valueText?: string | null;
  unit?: string | null;
  referenceLow?: number | null;
  referenceHigh?: number | null;
  referenceText?: string | null;
  abnormalFlag?: string | null;
  status: ResultStatus;
  effectiveAt?: Date | null;
  resultKey?: string | null;
  comment?: string | null;
}

/** One result value with its reference range (LABS; SUD for drug screens). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.LAB_RESULT })
export class LabResult extends ClinicalRecord {
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 20, nullable: true })
  loincCode: string | null = null;

  @Field()
  @Property({ type: 'string', length: 300, nullable: true })
  testName!: string;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  valueNumeric: number | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  valueText: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  unit: string | null = null;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  referenceLow: number | null = null;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  referenceHigh: number | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  referenceText: string | null = null;

  @Field(() => String, { nullable: true, description: 'HL7 abnormal flag: L, H, LL, HH, A, AA, N…' })
  @Property({ type: 'string', length: 5, nullable: true })
  abnormalFlag: string | null = null;

  @Field(() => ResultStatus)
  @Enum({ items: () => ResultStatus, nullable: true })
  resultStatus!: ResultStatus;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  effectiveAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "The lab's notes on the result (NTE segments)." })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  /** Identifies "the same result" across versions: the lab's order, test code and sub-id. */
  @Property({ type: 'string', length: 300, nullable: true })
  resultKey: string | null = null;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, data: LabResultData) {
    super();
    Object.assign(this, {
      loincCode: data.loincCode ?? null,
      testName: data.testName,
      valueNumeric: data.valueNumeric ?? null,
      valueText: data.valueText ?? null,
      unit: data.unit ?? null,
      referenceLow: data.referenceLow ?? null,
      referenceHigh: data.referenceHigh ?? null,
      referenceText: data.referenceText ?? null,
      abnormalFlag: data.abnormalFlag ?? null,
      resultStatus: data.status,
      effectiveAt: data.effectiveAt ?? null,
      resultKey: data.resultKey ?? null,
      comment: data.comment ?? null,
    });
    this.init(patient, provenance, { kind: 'LAB_RESULT', drugScreen: isDrugScreen(data.testName) });
  }
}
