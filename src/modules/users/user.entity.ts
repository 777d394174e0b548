import { Collection, Entity, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Patient } from '../patients/patient.entity';
import { Membership } from './membership.entity';

/** A person who signs in. Staff act through memberships; a patient user is linked to their record. */
@ObjectType()
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 320 })
  @Unique()
  email: string;

  @Field()
  @Property({ type: 'string', length: 200 })
  displayName: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** One login per patient: a second would let whoever holds it read the whole record as the patient. */
  @ManyToOne(() => Patient, { nullable: true, deleteRule: 'restrict', unique: true })
  patient: Rel<Patient> | null = null;

  @OneToMany(() => Membership, (membership) => membership.user)
  memberships = new Collection<Membership>(this);

  constructor(email: string, displayName: string) {
    super();
    this.email = email.toLowerCase();
    this.displayName = displayName;
  }
}

/** A user as the read path gives it: the fields its GraphQL type shows, no ORM state. */
export type UserRow = Pick<User, 'id' | 'createdAt' | 'email' | 'displayName' | 'active'>;
