import { IsUUID, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import type { RecordRow } from '../clinical/record-rows';
import { Prescription } from '../medications/prescription.entity';
import { PharmacyDispatch } from './pharmacy-dispatch.entity';
import { PrescriptionRoutingService, stopReasonMaxLength } from './prescription-routing.service';

@InputType()
class CancelPrescriptionInput {
  @Field(() => ID) @IsUUID() prescriptionId!: string;
  @Field({ description: 'Why, as the pharmacy will read it.' }) @Length(1, stopReasonMaxLength) reason!: string;
}

@ObjectType()
class CancelPrescriptionPayload {
  @Field(() => Prescription) prescription!: Prescription;
}

@Resolver(() => Prescription)
export class PrescriptionRoutingResolver {
  private readonly service = new PrescriptionRoutingService();

  @Authorized()
  @Query(() => Prescription, { description: 'One prescription, as the patient\'s medication list shows it to you; NOT_FOUND otherwise.' })
  prescription(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return this.service.findFor(em, access, id);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => CancelPrescriptionPayload, {
    description: "Cancels a prescription your program wrote: a routed one's pharmacy is told (MedicationRequest `cancelled`); one awaiting a consent is withdrawn, never sent.",
  })
  async cancelPrescription(@Ctx() ctx: GraphQLContext, @Arg('input') input: CancelPrescriptionInput): Promise<CancelPrescriptionPayload> {
    return { prescription: await this.service.cancel(ctx.em, ctx.access, ctx.user!, input.prescriptionId, input.reason) };
  }

  @FieldResolver(() => [PharmacyDispatch], { description: 'The messages sent about it to its pharmacy\'s endpoint, oldest first, and how each fared.' })
  pharmacyDispatches(@Root() prescription: RecordRow<Prescription>, @Ctx() { em }: GraphQLContext) {
    return this.service.dispatchesOf(em, prescription.id);
  }
}
