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

/** The LOINC code of each instrument's total score, as other systems send it. */
export const instrumentByLoinc: Record<string, AssessmentInstrument> = {
  '44261-6': AssessmentInstrument.PHQ9,
  '70274-6': AssessmentInstrument.GAD7,
  '75626-2': AssessmentInstrument.AUDIT_C,
};

/** Why a score is not one of the instrument's, or undefined when it is. */
export function scoreProblem(instrument: AssessmentInstrument, score: unknown): string | undefined {
  const [min, max] = scoreRange[instrument];
  return typeof score === 'number' && Number.isInteger(score) && score >= min && score <= max ? undefined : `A ${instrument} score is a whole number from ${min} to ${max}`;
}

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
    const problem = scoreProblem(data.instrument, data.score);
    if (problem) throw new BadInputError(problem, { field: 'score' });
    this.instrument = data.instrument;
    this.score = data.score;
    this.administeredAt = data.administeredAt;
    this.init(patient, provenance, { kind: 'ASSESSMENT' });
  }
}
