import { Entity, Enum, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BadInputError } from '../../errors';
import type { Patient } from '../patients/patient.entity';
import { ClinicalRecord, ClinicalRecordKind, type ProvenanceInit } from './clinical-record.entity';

export enum AssessmentInstrument {
  PHQ9 = 'PHQ9',
  GAD7 = 'GAD7',
  AUDIT_C = 'AUDIT_C',
  CSSRS_SCREEN = 'CSSRS_SCREEN',
}
registerEnumType(AssessmentInstrument, { name: 'AssessmentInstrument' });

/** The score range of each instrument; the C-SSRS screen counts its six yes/no items. */
export const scoreRange: Record<AssessmentInstrument, [number, number]> = {
  [AssessmentInstrument.PHQ9]: [0, 27],
  [AssessmentInstrument.GAD7]: [0, 21],
  [AssessmentInstrument.AUDIT_C]: [0, 12],
  [AssessmentInstrument.CSSRS_SCREEN]: [0, 6],
};

/** A scored instrument at a point in time (category TREATMENT_SUMMARY). */
@ObjectType({ implements: ClinicalRecord })
@Entity({ discriminatorValue: ClinicalRecordKind.ASSESSMENT })
export class Assessment extends ClinicalRecord {
  @Field(() => AssessmentInstrument)
  @Enum({ items: () => AssessmentInstrument, nullable: true })
  instrument!: AssessmentInstrument;

  @Field(() => Int)
  @Property({ type: 'integer', nullable: true })
  score!: number;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', nullable: true })
  administeredAt!: Date;

  constructor(patient: Rel<Patient>, provenance: ProvenanceInit, data: { instrument: AssessmentInstrument; score: number; administeredAt: Date }) {
    super();
    const [min, max] = scoreRange[data.instrument];
    if (!Number.isInteger(data.score) || data.score < min || data.score > max) {
      throw new BadInputError(`A ${data.instrument} score is a whole number from ${min} to ${max}`, { field: 'score' });
    }
    this.instrument = data.instrument;
    this.score = data.score;
    this.administeredAt = data.administeredAt;
    this.init(patient, provenance, { kind: 'ASSESSMENT' });
  }
}
