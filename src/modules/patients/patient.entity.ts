import { Collection, Entity, Enum, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { DatePrecision, firstDay, shownAsGiven } from '../clinical/date-precision';
import { Organization } from '../organizations/organization.entity';
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

  /** The first day the birth date covers, when only its year or month is known (see `birthDatePrecision`). */
  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  birthDate: string;

  @Field(() => DatePrecision, { description: 'How much of the birth date is known: a source may give only the year or the month.' })
  @Enum({ items: () => DatePrecision, default: DatePrecision.DAY })
  birthDatePrecision: DatePrecision = DatePrecision.DAY;

  /** The birth date as precisely as it is known (the GraphQL field is PatientResolver's, so plain rows show it too). */
  get birthDateAsGiven(): string {
    return shownAsGiven(this.birthDate, this.birthDatePrecision);
  }

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

  /** The program that registered the patient, which may enrol them again; not shown, as it tells who treats them. */
  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'restrict' })
  registeredBy: Rel<Organization> | null = null;

  @OneToMany(() => PatientIdentifier, (identifier) => identifier.patient)
  identifiers = new Collection<PatientIdentifier>(this);

  @OneToMany(() => Enrollment, (enrollment) => enrollment.patient)
  enrollments = new Collection<Enrollment>(this);

  /** `birthDate` may be partial ("1980", "1980-06"), as a source or a review gives it. */
  constructor(givenName: string, familyName: string, birthDate: string) {
    super();
    this.givenName = givenName;
    this.familyName = familyName;
    this.birthDate = firstDay(birthDate);
    this.birthDatePrecision = [DatePrecision.YEAR, DatePrecision.MONTH][birthDate.split('-').length - 1] ?? DatePrecision.DAY;
  }
}
