import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { ReferralLetter } from './referral-letter.entity';
import { ReferralLetterService } from './referral-letter.service';

@Resolver(() => ReferralLetter)
export class ReferralLetterResolver {
  private readonly service = new ReferralLetterService();

  @Authorized()
  @Query(() => ReferralLetter, {
    description:
      "A referral's letter, the latest version unless one is named: for the sender's care team, and for the recipient organization's users (the current version, while the consents it was sent under are in force). Audited as a disclosure.",
  })
  referralLetter(
    @Ctx() { em, access }: GraphQLContext,
    @Arg('referralId', () => ID) referralId: string,
    @Arg('version', () => Int, { nullable: true }) version?: number | null,
  ): Promise<ReferralLetter> {
    return this.service.openLetter(em, access, referralId, version ?? null);
  }

  @FieldResolver(() => String, { description: 'The letter as a base64 PDF.' })
  pdf(@Root() letter: ReferralLetter): string {
    return Buffer.from(letter.bytes).toString('base64');
  }
}
