import { Entity, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { CodedConcept } from '../consent/labels';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

/** A visit at another organization, e.g. a primary-care appointment or a referral's consult (TREATMENT_SUMMARY; SUD when its codes say SUD treatment). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.ENCOUNTER })
export class Encounter extends ClinicalRecord {
  @Field({ description: 'What kind of visit, as the source describes it.' })
  @Property({ type: 'string', length: 300, nullable: true })
  encounterType!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 30, nullable: true })
  encounterStatus: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'What the visit found, as the organization wrote it (a referral\'s consult note).' })
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  constructor(
    patient: Rel<Patient>,
    provenance: ProvenanceInit,
    data: { encounterType: string; status?: string | null; startedAt?: Date | null; endedAt?: Date | null; summary?: string | null; codes?: CodedConcept[] },
  ) {
    super();
    this.encounterType = data.encounterType;
    this.encounterStatus = data.status ?? null;
    this.startedAt = data.startedAt ?? null;
    this.endedAt = data.endedAt ?? null;
    this.summary = data.summary ?? null;
    this.init(patient, provenance, { kind: 'ENCOUNTER', codes: data.codes ?? [] });
  }
}
