import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';

/** Who a patient is and how to reach them, for a partner that serves them (a pharmacy dispensing, a practice seeing a referral). */
@ObjectType({ description: 'Who the patient is and how to reach them: name, birth date, address, phone.' })
export class PatientContact {
  @Field(() => ID) id!: string;
  @Field() givenName!: string;
  @Field() familyName!: string;
  @Field(() => GraphQLLocalDate) birthDate!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) addressLine!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
}
