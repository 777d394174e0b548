import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum DiagnosisStatus {
  ACTIVE = 'ACTIVE',
  RESOLVED = 'RESOLVED',
  INACTIVE = 'INACTIVE',
}
registerEnumType(DiagnosisStatus, { name: 'DiagnosisStatus' });

/** A problem-list entry: ICD-10-CM code and text (category DIAGNOSES; SUD for F10–F19 but F17, and SUD counselling Z-codes). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.DIAGNOSIS })
export class Diagnosis extends ClinicalRecord {
  @Field({ description: 'ICD-10-CM code, e.g. F33.1' })
  @Property({ type: 'string', length: 10, nullable: true })
  icd10Code!: string;

  @Field()
  @Property({ type: 'string', length: 300, nullable: true })
  diagnosisText!: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  onsetDate: string | null = null;

  @Field(() => DiagnosisStatus)
  @Enum({ items: () => DiagnosisStatus, nullable: true })
  diagnosisStatus: DiagnosisStatus = DiagnosisStatus.ACTIVE;

  constructor(
    patient: Rel<Patient>,
    provenance: ProvenanceInit,
    data: { icd10Code: string; text: string; onsetDate?: string | null; status?: DiagnosisStatus | null },
  ) {
    super();
    this.icd10Code = data.icd10Code.trim().toUpperCase();
    this.diagnosisText = data.text;
    this.onsetDate = data.onsetDate ?? null;
    this.diagnosisStatus = data.status ?? DiagnosisStatus.ACTIVE;
    this.init(patient, provenance, { kind: 'DIAGNOSIS', icd10Code: this.icd10Code });
  }
}
