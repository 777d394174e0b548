import { Collection, Entity, OneToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { PatientIdentifier } from './patient-identifier.entity';
import { Enrollment } from './enrollment.entity';

/** A patient's demographics (data category DEMOGRAPHICS). Clinical records hang off it in their own modules. */
@ObjectType()
@Entity()
export class Patient extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 100 })
  givenName: string;

  @Field()
  @Property({ type: 'string', length: 100 })
  familyName: string;

  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  birthDate: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 40, nullable: true })
  phone: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  addressLine: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  city: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  region: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 20, nullable: true })
  postalCode: string | null = null;

  @OneToMany(() => PatientIdentifier, (identifier) => identifier.patient)
  identifiers = new Collection<PatientIdentifier>(this);

  @OneToMany(() => Enrollment, (enrollment) => enrollment.patient)
  enrollments = new Collection<Enrollment>(this);

  constructor(givenName: string, familyName: string, birthDate: string) {
    super();
    this.givenName = givenName;
    this.familyName = familyName;
    this.birthDate = birthDate;
  }
}
