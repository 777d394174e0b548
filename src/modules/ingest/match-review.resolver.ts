import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Organization } from '../organizations/organization.entity';
import { MatchReview, MatchReviewStatus } from './match-review.entity';
import { MatchReviewService } from './match-review.service';

const MatchReviewConnection = ConnectionType(MatchReview);

@ObjectType()
class MatchReviewPayload {
  @Field(() => MatchReview)
  review!: MatchReview;
}

/** The patient-matching review queue, worked by IOP admins. */
@Resolver(() => MatchReview)
export class MatchReviewResolver {
  private readonly service = new MatchReviewService();

  @Authorized([Role.ADMIN])
  @Query(() => MatchReviewConnection, { complexity: connectionComplexity, description: 'Inbound messages waiting for a patient match.' })
  matchReviews(
    @Ctx() { em, user }: GraphQLContext,
    @Args() page: ConnectionArgs,
    @Arg('status', () => MatchReviewStatus, { nullable: true, defaultValue: MatchReviewStatus.PENDING }) status?: MatchReviewStatus | null,
  ) {
    return this.service.list(em, user!, status, page);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MatchReviewPayload, { description: "Links the message to a patient of your program and imports it for them." })
  async linkMatchReview(
    @Ctx() { em, access, user }: GraphQLContext,
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('patientId', () => ID) patientId: string,
  ): Promise<MatchReviewPayload> {
    return { review: await this.service.link(em, access, user!, reviewId, patientId) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MatchReviewPayload, { description: "Registers the message's patient in your program and imports the message for them." })
  async createPatientFromMatchReview(@Ctx() { em, user }: GraphQLContext, @Arg('reviewId', () => ID) reviewId: string): Promise<MatchReviewPayload> {
    return { review: await this.service.createPatient(em, user!, reviewId) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MatchReviewPayload, { description: 'Rejects the message; it stays in the inbox as REJECTED.' })
  async rejectMatchReview(@Ctx() { em, user }: GraphQLContext, @Arg('reviewId', () => ID) reviewId: string): Promise<MatchReviewPayload> {
    return { review: await this.service.reject(em, user!, reviewId) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MatchReviewPayload, {
    description: 'Undoes the link of a message to the wrong patient (provenance.inboxMessageId names it) and holds it for a new review.',
  })
  async unlinkInboundMessage(
    @Ctx() { em, access, user }: GraphQLContext,
    @Arg('inboxMessageId', () => ID) inboxMessageId: string,
  ): Promise<MatchReviewPayload> {
    return { review: await this.service.unlink(em, access, user!, inboxMessageId) };
  }

  @FieldResolver(() => Organization, { description: 'Who sent the message.' })
  sourceOrganization(@Root() review: MatchReview, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(review.sourceOrganization.id);
  }

  @FieldResolver(() => [ID], { description: 'Patients that matched in part, among those you may see.' })
  async candidateIds(@Root() review: MatchReview, @Ctx() { access }: GraphQLContext): Promise<string[]> {
    return access.patientsSeen(review.candidateIds);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The patient the message was linked to or created as.' })
  patientId(@Root() review: MatchReview) {
    return review.patient?.id ?? null;
  }
}
