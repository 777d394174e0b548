import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Prescription } from '../medications/prescription.entity';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum SideEffectSeverity {
  MILD = 'MILD',
  MODERATE = 'MODERATE',
  SEVERE = 'SEVERE',
  LIFE_THREATENING = 'LIFE_THREATENING',
}
registerEnumType(SideEffectSeverity, { name: 'SideEffectSeverity' });

/** A side effect the patient reported, with its severity and follow-up (MEDICATIONS; SUD when on MOUD/MAUD). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.SIDE_EFFECT })
export class SideEffect extends ClinicalRecord {
  @ManyToOne(() => Prescription, { nullable: true, deleteRule: 'set null' })
  prescription: Rel<Prescription> | null = null;

  @Field()
  @Property({ type: 'string', length: 500, nullable: true })
  effect!: string;

  @Field(() => SideEffectSeverity)
  @Enum({ items: () => SideEffectSeverity, nullable: true })
  severity!: SideEffectSeverity;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  onsetDate: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  followUp: string | null = null;

  constructor(
    patient: Rel<Patient>,
    provenance: ProvenanceInit,
    data: { prescription?: Prescription | null; effect: string; severity: SideEffectSeverity; onsetDate?: string | null; followUp?: string | null },
  ) {
    super();
    this.prescription = data.prescription ?? null;
    this.effect = data.effect;
    this.severity = data.severity;
    this.onsetDate = data.onsetDate ?? null;
    this.followUp = data.followUp ?? null;
    this.init(patient, provenance, { kind: 'SIDE_EFFECT', onSudMedication: data.prescription?.isMoud ?? false });
  }
}
