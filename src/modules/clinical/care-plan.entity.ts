import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum CarePlanType {
  TREATMENT = 'TREATMENT',
  CRISIS = 'CRISIS',
}
registerEnumType(CarePlanType, { name: 'CarePlanType' });

/**
 * A version of the treatment plan or of the crisis/safety plan. Plans are never edited in
 * place: each change is a new version, and the newest is the current plan.
 */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.CARE_PLAN })
export class CarePlan extends ClinicalRecord {
  @Field(() => CarePlanType)
  @Enum({ items: () => CarePlanType, nullable: true })
  planType!: CarePlanType;

  @Field()
  @Property({ type: 'text', nullable: true })
  planText!: string;

  @Field({ description: 'The plan addresses substance use (42 CFR Part 2).' })
  @Property({ type: 'boolean', nullable: true })
  addressesSud: boolean = false;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, data: { planType: CarePlanType; text: string; addressesSud?: boolean | null }) {
    super();
    this.planType = data.planType;
    this.planText = data.text;
    this.addressesSud = data.addressesSud ?? false;
    this.init(patient, provenance, { kind: 'CARE_PLAN', mentionsSud: this.addressesSud });
  }
}
