import { IsISO8601, IsOptional, IsUUID, Length, Matches } from 'class-validator';
import {
  Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root,
} from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { primeWithCare } from '../../graphql/loaders';
import { shownAsGiven } from '../clinical/date-precision';
import { DataCategory, Purpose } from '../consent/data-category';
import { Organization } from '../organizations/organization.entity';
import { User } from '../users/user.entity';
import { CareTeamMember, CareTeamRole } from './care-team-member.entity';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';
import type { CareTeamMemberRow, EnrollmentRow, PatientIdentifierRow, PatientRow } from './patient-care';
import { PatientIdentifier } from './patient-identifier.entity';
import { shownIdentifiers } from './shown-identifiers';
import { Patient } from './patient.entity';
import { PatientService, type PatientSearch } from './patient.service';

const PatientConnection = ConnectionType(Patient);

@InputType()
class RegisterPatientInput {
  @Field()
  @Length(1, 100)
  givenName!: string;

  @Field()
  @Length(1, 100)
  familyName!: string;

  @Field(() => GraphQLLocalDate)
  @IsISO8601({ strict: true })
  birthDate!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'phone must be digits, spaces, +, ( ) or -' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  addressLine?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  city?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 50)
  region?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 20)
  postalCode?: string | null;

  @Field(() => String, { nullable: true, description: "The program's own identifier (MRN) for the patient." })
  @IsOptional()
  @Length(1, 100)
  mrn?: string | null;

  @Field(() => CareTeamRole, { nullable: true, description: 'Your role on the care team (clinicians; default PRESCRIBER).' })
  careTeamRole?: CareTeamRole | null;
}

@ObjectType()
class RegisterPatientPayload {
  @Field(() => Patient)
  patient!: Patient;

  @Field(() => Enrollment)
  enrollment!: Enrollment;
}

@ObjectType()
class EnrollmentPayload {
  @Field(() => Enrollment)
  enrollment!: Enrollment;
}

@InputType()
class AddPatientIdentifierInput {
  @Field(() => ID)
  @IsUUID()
  patientId!: string;

  @Field(() => ID, { description: 'The organization that assigned the identifier.' })
  @IsUUID()
  organizationId!: string;

  @Field()
  @Length(1, 100)
  value!: string;

  @Field(() => String, { nullable: true, description: 'The system or assigning authority within that organization, if it has several.' })
  @IsOptional()
  @Length(1, 200)
  system?: string | null;
}

@ObjectType()
class PatientIdentifierPayload {
  @Field(() => PatientIdentifier)
  identifier!: PatientIdentifier;
}

@ObjectType()
class CareTeamMemberPayload {
  @Field(() => CareTeamMember)
  careTeamMember!: CareTeamMember;
}

const iopStaff = [Role.IOP_CLINICIAN, Role.ADMIN];

@ArgsType()
class PatientSearchArgs extends ConnectionArgs implements PatientSearch {
  @Field(() => Purpose, { defaultValue: Purpose.TREATMENT, description: 'Why you read: lists the patients whose consent allows it.' })
  purpose: Purpose = Purpose.TREATMENT;

  @Field(() => String, { nullable: true, description: 'Part of the given or family name, any case.' })
  @IsOptional()
  @Length(2, 100)
  name?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  birthDate?: string | null;
}

@Resolver(() => Patient)
export class PatientResolver {
  private readonly service = new PatientService();

  @Authorized()
  @Query(() => Patient, { description: "A patient's record, as far as you may see it." })
  async patient(
    @Ctx() { access, loaders }: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('purpose', () => Purpose, { defaultValue: Purpose.TREATMENT }) purpose: Purpose,
  ) {
    const care = await this.service.read(loaders.patientCare, access, id, purpose);
    primeWithCare(loaders, care);
    return care.patient;
  }

  @Authorized()
  @Query(() => PatientConnection, { complexity: connectionComplexity, description: 'The patients you may see.' })
  async patients(@Ctx() { em, access }: GraphQLContext, @Args() search: PatientSearchArgs) {
    return this.service.list(em, access, search);
  }

  @Authorized(iopStaff)
  @Mutation(() => RegisterPatientPayload, { description: 'Registers a patient and enrols them in your program.' })
  async registerPatient(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('input') input: RegisterPatientInput,
  ): Promise<RegisterPatientPayload> {
    return this.service.register(em, access, user!, input);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => EnrollmentPayload, {
    description: 'Enrols a patient your program registered, or received through a consent in force naming it, in your program again.',
  })
  async enrollPatient(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('patientId', () => ID) patientId: string,
  ): Promise<EnrollmentPayload> {
    return { enrollment: await this.service.enroll(em, access, user!, patientId) };
  }

  @Authorized([Role.PATIENT])
  @Mutation(() => EnrollmentPayload, { description: 'Enrols you in an IOP program at your own request.' })
  async requestEnrollment(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('programId', () => ID) programId: string,
  ): Promise<EnrollmentPayload> {
    return { enrollment: await this.service.requestEnrollment(em, access, user!, programId) };
  }

  @Authorized(iopStaff)
  @Mutation(() => PatientIdentifierPayload, {
    description: "Records the identifier your program or a partner (practice, pharmacy, lab) uses for the patient; another program's only that program records.",
  })
  async addPatientIdentifier(
    @Ctx() { em, access }: GraphQLContext,
    @Arg('input') input: AddPatientIdentifierInput,
  ): Promise<PatientIdentifierPayload> {
    return { identifier: await this.service.addIdentifier(em, access, input.patientId, input.organizationId, input.value, input.system ?? '') };
  }

  @Authorized(iopStaff)
  @Mutation(() => EnrollmentPayload, { description: 'Discharges or withdraws an active enrollment.' })
  async endEnrollment(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('enrollmentId', () => ID) enrollmentId: string,
    @Arg('status', () => EnrollmentStatus) status: EnrollmentStatus,
  ): Promise<EnrollmentPayload> {
    return { enrollment: await this.service.endEnrollment(em, access, user!, enrollmentId, status) };
  }

  @Authorized(iopStaff)
  @Mutation(() => CareTeamMemberPayload)
  async addCareTeamMember(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('enrollmentId', () => ID) enrollmentId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('teamRole', () => CareTeamRole) teamRole: CareTeamRole,
  ): Promise<CareTeamMemberPayload> {
    return { careTeamMember: await this.service.addCareTeamMember(em, access, user!, enrollmentId, userId, teamRole) };
  }

  @Authorized(iopStaff)
  @Mutation(() => CareTeamMemberPayload)
  async removeCareTeamMember(
    @Ctx() { em, user, access }: GraphQLContext,
    @Arg('enrollmentId', () => ID) enrollmentId: string,
    @Arg('userId', () => ID) userId: string,
  ): Promise<CareTeamMemberPayload> {
    return { careTeamMember: await this.service.removeCareTeamMember(em, access, user!, enrollmentId, userId) };
  }

  @FieldResolver(() => String, { description: 'The birth date as precisely as it is known, e.g. "1980" or "1980-06".' })
  birthDateAsGiven(@Root() patient: PatientRow): string {
    return shownAsGiven(patient.birthDate, patient.birthDatePrecision);
  }

  @FieldResolver(() => [PatientIdentifier], { description: "Record numbers; a program's own are shown to its staff and the patient only (DEMOGRAPHICS)." })
  identifiers(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return shownIdentifiers(ctx, patient.id);
  }

  @FieldResolver(() => [Enrollment], {
    nullable: true,
    description: "Enrolments in your program; a patient sees all theirs, a partner those of programs whose consent lists it (TREATMENT_SUMMARY).",
  })
  async enrollments(@Root() patient: PatientRow, @Ctx() { loaders, access }: GraphQLContext) {
    return access.discloseEnrollments(patient.id, await loaders.enrollmentsByPatient.load(patient.id));
  }
}

@Resolver(() => PatientIdentifier)
export class PatientIdentifierResolver {
  @FieldResolver(() => Organization, { description: 'The organization that assigned the identifier.' })
  organization(@Root() identifier: PatientIdentifierRow, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(identifier.organization.id);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentResolver {
  private readonly service = new PatientService();

  @Authorized()
  @Query(() => Enrollment, { description: "An enrolment in your program (TREATMENT_SUMMARY), e.g. the subject of a notification; the patient sees theirs." })
  enrollment(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Enrollment> {
    return this.service.findEnrollmentFor(em, access, id);
  }

  @FieldResolver(() => ID, { description: 'The patient enrolled.' })
  patientId(@Root() enrollment: EnrollmentRow): string {
    return enrollment.patient.id;
  }

  @FieldResolver(() => Organization)
  program(@Root() enrollment: EnrollmentRow, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(enrollment.program.id);
  }

  @FieldResolver(() => [CareTeamMember], { description: 'Current and past members, with removal times.' })
  async careTeam(@Root() enrollment: EnrollmentRow, @Ctx() { loaders, access }: GraphQLContext) {
    return access.discloseIfAny(enrollment.patient.id, [DataCategory.TREATMENT_SUMMARY], () => loaders.careTeamByEnrollment.load(enrollment.id));
  }
}

@Resolver(() => CareTeamMember)
export class CareTeamMemberResolver {
  @FieldResolver(() => User)
  user(@Root() member: CareTeamMemberRow, @Ctx() { loaders }: GraphQLContext) {
    return loaders.user.load(member.user.id);
  }
}
