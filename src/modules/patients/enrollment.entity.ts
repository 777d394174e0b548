import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { Organization } from '../organizations/organization.entity';
import { Patient } from './patient.entity';
import { CareTeamMember } from './care-team-member.entity';

export enum EnrollmentStatus {
  ACTIVE = 'ACTIVE',
  DISCHARGED = 'DISCHARGED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(EnrollmentStatus, { name: 'EnrollmentStatus' });

/** Which statuses an enrolment may move to from each status. */
const allowedTransitions: Transitions<EnrollmentStatus> = {
  [EnrollmentStatus.ACTIVE]: [EnrollmentStatus.DISCHARGED, EnrollmentStatus.WITHDRAWN],
  [EnrollmentStatus.DISCHARGED]: [],
  [EnrollmentStatus.WITHDRAWN]: [],
};

/** A patient's stay in an IOP program, with the care team that treats them there. */
@ObjectType()
@Entity()
@Index({
  name: 'enrollment_one_active_per_program',
  expression:
    'create unique index "enrollment_one_active_per_program" on "enrollment" ("patient_id", "program_id") where "status" = \'ACTIVE\'',
})
export class Enrollment extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict', index: true })
  program: Rel<Organization>;

  @Field(() => EnrollmentStatus)
  @Enum({ items: () => EnrollmentStatus })
  status: EnrollmentStatus = EnrollmentStatus.ACTIVE;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz' })
  startedAt: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  @OneToMany(() => CareTeamMember, (member) => member.enrollment)
  careTeam = new Collection<CareTeamMember>(this);

  constructor(patient: Rel<Patient>, program: Rel<Organization>, startedAt: Date = new Date()) {
    super();
    this.patient = patient;
    this.program = program;
    this.startedAt = startedAt;
  }

  get isActive(): boolean {
    return this.status === EnrollmentStatus.ACTIVE;
  }

  end(status: EnrollmentStatus, at: Date = new Date()): void {
    assertTransition(allowedTransitions, 'An enrollment', this.status, status);
    this.status = status;
    this.endedAt = at;
  }
}
