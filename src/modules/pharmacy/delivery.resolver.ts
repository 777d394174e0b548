import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { liveUpdates } from '../../live/live-updates';
import { provenanceOf, Provenance } from '../clinical/clinical-record.entity';
import { Prescription } from '../medications/prescription.entity';
import type { RecordRow } from '../clinical/record-rows';
import { Delivery, DeliveryEvent, DeliveryStatus } from './delivery.entity';
import { DeliveryService } from './delivery.service';

@InputType({ description: 'As the webhook contract has it (shipment).' })
class DeliveryShipmentInput {
  @Field() carrier!: string;
  @Field(() => String, { nullable: true }) trackingNumber?: string | null;
  @Field(() => String, { nullable: true }) service?: string | null;
  @Field(() => String, { nullable: true, description: 'A date, or a date and time with offset (RFC 3339).' }) estimatedDelivery?: string | null;
}

@InputType({ description: 'As the webhook contract has it (signature); method NONE exactly when not obtained.' })
class DeliverySignatureInput {
  @Field() required!: boolean;
  @Field() obtained!: boolean;
  @Field({ description: 'ELECTRONIC, PAPER or NONE.' }) method!: string;
  @Field(() => String, { nullable: true }) signerName?: string | null;
  @Field(() => String, { nullable: true }) capturedAt?: string | null;
  @Field(() => String, { nullable: true }) relationship?: string | null;
  @Field(() => String, { nullable: true }) leftAt?: string | null;
  @Field(() => Boolean, { nullable: true }) driverRelease?: boolean | null;
}

@InputType({ description: 'As the webhook contract has it (reason); required on EXCEPTION and RETURNED.' })
class DeliveryReasonInput {
  @Field({ description: 'ADDRESS_UNDELIVERABLE, RECIPIENT_UNAVAILABLE, WEATHER_DELAY, CARRIER_DELAY, DAMAGED, REFUSED, RETURN_TO_SENDER, TEMPERATURE_EXCURSION or OTHER.' })
  code!: string;
  @Field() text!: string;
}

@InputType({ description: "A delivery event for one fill, checked by the webhook contract's rules." })
class DeliveryStatusInput {
  @Field(() => Int) fillNumber!: number;
  @Field(() => DeliveryStatus) status!: DeliveryStatus;
  @Field({ description: 'When it happened: RFC 3339 with an offset.' }) occurredAt!: string;
  @Field(() => DeliveryShipmentInput, { nullable: true }) shipment?: DeliveryShipmentInput | null;
  @Field(() => DeliverySignatureInput, { nullable: true }) signature?: DeliverySignatureInput | null;
  @Field(() => DeliveryReasonInput, { nullable: true }) reason?: DeliveryReasonInput | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@ObjectType()
class SetDeliveryStatusPayload {
  @Field(() => Delivery)
  delivery!: Delivery;
}

/** The input as plain data, absent fields left out (GraphQL gives null), for the contract's checks. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, each]) => each !== null && each !== undefined).map(([key, each]) => [key, plain(each)]));
}

const deliveries = new DeliveryService();

@Resolver(() => Delivery)
export class DeliveryResolver {
  @Authorized([Role.PHARMACIST])
  @Mutation(() => SetDeliveryStatusPayload, { description: 'A pharmacist reports a delivery event of a prescription routed to their pharmacy (the webhook’s rules).' })
  async setDeliveryStatus(
    @Ctx() { em, access, user, config }: GraphQLContext,
    @Arg('prescriptionId', () => ID) prescriptionId: string,
    @Arg('input', () => DeliveryStatusInput) input: DeliveryStatusInput,
  ): Promise<SetDeliveryStatusPayload> {
    const delivery = await deliveries.setStatus(em, access, user!, prescriptionId, plain(input), { maxAheadSeconds: config.PHARMACY_EVENT_MAX_AHEAD_SECONDS });
    return { delivery };
  }

  @Authorized([Role.IOP_CLINICIAN, Role.PCP, Role.PATIENT])
  @Subscription(() => Delivery, {
    description: "Deliveries as pharmacies report their events, of every patient you may see (or of `patientId` only), each shown as a prescription's `deliveries` shows it.",
    subscribe: ({ context, args }: SubscribeResolverData<unknown, { patientId?: string | null }, GraphQLContext>) =>
      liveUpdates(context, 'deliveryStatusChanged', { patientId: args.patientId }, ({ em, access }, event) => deliveries.openDelivery(em, access, event.recordId)),
  })
  deliveryStatusChanged(@Root() delivery: Delivery, @Arg('patientId', () => ID, { nullable: true }) _patientId?: string): Delivery {
    return delivery;
  }

  @FieldResolver(() => [DeliveryEvent], { description: 'Every accepted event, ordered by when it happened.' })
  history(@Root() delivery: Delivery, @Ctx() { em }: GraphQLContext): Promise<DeliveryEvent[]> {
    return deliveries.historyOf(em, delivery.id);
  }

  @FieldResolver(() => Provenance, { description: 'The pharmacy that reports it.' })
  provenance(@Root() delivery: Delivery): Provenance {
    return provenanceOf({ sourceOrganization: delivery.sourceOrganization, sourceSystem: 'pharmacy-webhook', sourceRecordId: null, receivedAt: delivery.createdAt, inboxMessageId: null });
  }

  @FieldResolver(() => ID)
  prescriptionId(@Root() delivery: Delivery): string {
    return delivery.prescription.id;
  }
}

@Resolver(() => Prescription)
export class PrescriptionDeliveryResolver {
  @FieldResolver(() => [Delivery], { nullable: true, description: "Its fills' deliveries, as the pharmacy reports them (MEDICATIONS; SUD for MOUD)." })
  deliveries(@Root() prescription: RecordRow<Prescription>, @Ctx() { em, access }: GraphQLContext): Promise<Delivery[]> {
    return deliveries.listFor(em, access, prescription.id);
  }
}
