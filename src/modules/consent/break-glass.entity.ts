import { Entity, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { Patient } from '../patients/patient.entity';

/**
 * Emergency access (42 CFR §2.51, medical emergency): a clinician states why and sees one
 * patient's record for a limited time; every disclosure under it is audited with it, and the
 * program's privacy officer is told. It ends by itself.
 */
@ObjectType()
@Entity()
export class BreakGlassAccess extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  userId: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  organizationId: string;

  @Field()
  @Property({ type: 'text' })
  reason: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  constructor(patient: Rel<Patient>, user: { id: string; organizationId: string }, reason: string, expiresAt: Date) {
    super();
    this.patient = patient;
    this.userId = user.id;
    this.organizationId = user.organizationId;
    this.reason = reason;
    this.expiresAt = expiresAt;
  }
}
