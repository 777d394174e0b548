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

/** Which time `effectiveAt` is: the first the lab gives, in this order; never the time the hub received it. */
export enum EffectiveTimeSource {
  OBSERVATION_TIME = 'OBSERVATION_TIME',
  COLLECTION_TIME = 'COLLECTION_TIME',
  COLLECTION_END_TIME = 'COLLECTION_END_TIME',
  ANALYSIS_TIME = 'ANALYSIS_TIME',
  MESSAGE_TIME = 'MESSAGE_TIME',
}
registerEnumType(EffectiveTimeSource, {
  name: 'EffectiveTimeSource',
  valuesConfig: {
    OBSERVATION_TIME: { description: 'The observation date/time of the result (HL7 OBX-14, FHIR effective[x]).' },
    COLLECTION_TIME: { description: "The order's observation (specimen collection) date/time (HL7 OBR-7)." },
    COLLECTION_END_TIME: { description: "The order's observation end date/time (HL7 OBR-8)." },
    ANALYSIS_TIME: { description: 'When the lab analysed the specimen (HL7 OBX-19).' },
    MESSAGE_TIME: { description: 'When the lab sent the message (HL7 MSH-7): the lab gave no time of its own.' },
  },
});

export interface LabResultData {
  loincCode?: string | null;
  testName: string;
  valueNumeric?: number | null;
  valueText?: string | null;
  /** With valueBound: the result is a bound ("<10"), not a value. */
  valueComparator?: string | null;
  valueBound?: number | null;
  /** A coded result's code (e.g. SNOMED 10828004), its text being valueText. */
  valueCode?: string | null;
  valueCodeSystem?: string | null;
  unit?: string | null;
  referenceLow?: number | null;
  referenceHigh?: number | null;
  referenceText?: string | null;
  abnormalFlag?: string | null;
  status: ResultStatus;
  effectiveAt?: Date | null;
  effectiveTimeSource?: EffectiveTimeSource | null;
  /** OBR-22: when the lab reported this version (results report/status change). */
  reportedAt?: Date | null;
  /** OBX-19: when the analysis behind this version was done. */
  analyzedAt?: Date | null;
  resultKey?: string | null;
  comment?: string | null;
  orderComment?: string | null;
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

  @Field(() => Float, { nullable: true, description: 'The value, when it is one number; null for a bound such as "<10" (see valueComparator).' })
  @Property({ type: 'double', nullable: true })
  valueNumeric: number | null = null;

  @Field(() => String, { nullable: true, description: 'The value as text: text results, coded results\' text, bounds ("<10"), ranges and ratios.' })
  @Property({ type: 'text', nullable: true })
  valueText: string | null = null;

  @Field(() => String, { nullable: true, description: 'For a bound: <, >, <= or >=; the result is only known to lie beyond valueBound.' })
  @Property({ type: 'string', length: 2, nullable: true })
  valueComparator: string | null = null;

  @Field(() => Float, { nullable: true, description: 'The number a bound compares to ("<10" → 10); not a value.' })
  @Property({ type: 'double', nullable: true })
  valueBound: number | null = null;

  @Field(() => String, { nullable: true, description: "A coded result's code; its text is valueText." })
  @Property({ type: 'string', length: 50, nullable: true })
  valueCode: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  valueCodeSystem: string | null = null;

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

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the observation was made; effectiveTimeSource says which time it is.' })
  @Property({ type: 'timestamptz', nullable: true })
  effectiveAt: Date | null = null;

  @Field(() => EffectiveTimeSource, { nullable: true })
  @Enum({ items: () => EffectiveTimeSource, nullable: true })
  effectiveTimeSource: EffectiveTimeSource | null = null;

  @Field(() => String, { nullable: true, description: "The lab's notes on the result (NTE segments)." })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @Field(() => String, { nullable: true, description: "The lab's notes on the order this result belongs to (NTE segments after OBR)." })
  @Property({ type: 'text', nullable: true })
  orderComment: string | null = null;

  /** OBR-22 results report/status change time: orders versions of one status (e.g. two corrections). */
  @Property({ type: 'timestamptz', nullable: true })
  reportedAt: Date | null = null;

  /** OBX-19 date/time of the analysis: orders versions when OBR-22 does not. */
  @Property({ type: 'timestamptz', nullable: true })
  analyzedAt: Date | null = null;

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
      valueComparator: data.valueComparator ?? null,
      valueBound: data.valueBound ?? null,
      valueCode: data.valueCode ?? null,
      valueCodeSystem: data.valueCodeSystem ?? null,
      unit: data.unit ?? null,
      referenceLow: data.referenceLow ?? null,
      referenceHigh: data.referenceHigh ?? null,
      referenceText: data.referenceText ?? null,
      abnormalFlag: data.abnormalFlag ?? null,
      resultStatus: data.status,
      effectiveAt: data.effectiveAt ?? null,
      effectiveTimeSource: data.effectiveTimeSource ?? (data.effectiveAt ? EffectiveTimeSource.OBSERVATION_TIME : null),
      reportedAt: data.reportedAt ?? null,
      analyzedAt: data.analyzedAt ?? null,
      resultKey: data.resultKey ?? null,
      comment: data.comment ?? null,
      orderComment: data.orderComment ?? null,
    });
    this.init(patient, provenance, { kind: 'LAB_RESULT', drugScreen: isDrugScreen(data.testName, data.loincCode) });
  }
}
