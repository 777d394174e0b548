import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum AllergyCriticality {
  LOW = 'LOW',
  HIGH = 'HIGH',
  UNABLE_TO_ASSESS = 'UNABLE_TO_ASSESS',
}
registerEnumType(AllergyCriticality, { name: 'AllergyCriticality' });

/** An allergy or intolerance (category MEDICATIONS: it decides what may be prescribed). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.ALLERGY })
export class Allergy extends ClinicalRecord {
  @Field()
  @Property({ type: 'string', length: 300, nullable: true })
  substance!: string;

  @Field(() => String, { nullable: true, description: 'Code of the substance (RxNorm, SNOMED CT…) as sent.' })
  @Property({ type: 'string', length: 50, nullable: true })
  substanceCode: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  reaction: string | null = null;

  @Field(() => AllergyCriticality, { nullable: true })
  @Enum({ items: () => AllergyCriticality, nullable: true })
  criticality: AllergyCriticality | null = null;

  constructor(
    patient: Rel<Patient>,
    provenance: ProvenanceInit,
    data: { substance: string; substanceCode?: string | null; reaction?: string | null; criticality?: AllergyCriticality | null },
  ) {
    super();
    this.substance = data.substance;
    this.substanceCode = data.substanceCode ?? null;
    this.reaction = data.reaction ?? null;
    this.criticality = data.criticality ?? null;
    this.init(patient, provenance, { kind: 'ALLERGY' });
  }
}
