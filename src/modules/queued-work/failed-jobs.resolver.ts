import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { FailedJobService } from './failed-jobs.service';

@ObjectType({ description: 'Queued work (never its payload): what it is and, when it failed for good, why.' })
class QueuedJob {
  @Field(() => ID)
  id!: string;

  @Field()
  queue!: string;

  @Field()
  jobName!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  failedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The error type and code; never content.' })
  failureReason!: string | null;
}

/** Jobs that failed for good, worked by IOP admins. */
@Resolver(() => QueuedJob)
export class FailedJobResolver {
  private readonly service = new FailedJobService();

  @Authorized([Role.ADMIN])
  @Query(() => [QueuedJob], { description: 'The 100 latest jobs given up after every retry (inbound imports show as failedInboundMessages too).' })
  failedJobs(@Ctx() { em, user }: GraphQLContext) {
    return this.service.listFailed(em, user!);
  }

  @Authorized([Role.ADMIN])
  @Query(() => QueuedJob, { description: 'One job given up after every retry, e.g. the subject of a notification (job.failed).' })
  failedJob(@Ctx() { em, user }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return this.service.findFor(em, user!, id);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => QueuedJob, { description: 'Queues a failed job again, once the cause of its failure is fixed.' })
  retryFailedJob(@Ctx() { em, user }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return this.service.retry(em, user!, id);
  }
}
