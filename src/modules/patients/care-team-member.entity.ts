import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { User } from '../users/user.entity';
import { Enrollment } from './enrollment.entity';

export enum CareTeamRole {
  PRESCRIBER = 'PRESCRIBER',
  THERAPIST = 'THERAPIST',
  CASE_MANAGER = 'CASE_MANAGER',
  NURSE = 'NURSE',
}
registerEnumType(CareTeamRole, { name: 'CareTeamRole' });

/** A clinician on the care team of one enrolment; removal keeps the row (with its time) for history. */
@ObjectType()
@Entity()
@Unique({ properties: ['enrollment', 'user'] })
export class CareTeamMember extends BaseEntity {
  @ManyToOne(() => Enrollment, { deleteRule: 'cascade' })
  enrollment: Rel<Enrollment>;

  @ManyToOne(() => User, { deleteRule: 'restrict', index: true })
  user: Rel<User>;

  @Field(() => CareTeamRole)
  @Enum({ items: () => CareTeamRole })
  teamRole: CareTeamRole;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  constructor(enrollment: Rel<Enrollment>, user: Rel<User>, teamRole: CareTeamRole) {
    super();
    this.enrollment = enrollment;
    this.user = user;
    this.teamRole = teamRole;
  }

  get isCurrent(): boolean {
    return this.removedAt === null;
  }

  remove(at: Date = new Date()): void {
    this.removedAt ??= at;
  }

  restore(teamRole: CareTeamRole): void {
    this.removedAt = null;
    this.teamRole = teamRole;
  }
}
