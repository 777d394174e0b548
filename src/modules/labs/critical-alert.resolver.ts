import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { liveUpdates } from '../../live/live-updates';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { CriticalAlert } from './critical-alert.entity';
import { CriticalAlertService } from './critical-alert.service';
import { LabResult } from './lab-result.entity';

const criticalAlerts = new CriticalAlertService();

@ObjectType()
class CriticalAlertPayload {
  @Field(() => CriticalAlert)
  alert!: CriticalAlert;
}

@Resolver(() => CriticalAlert)
export class CriticalAlertResolver {
  private readonly service = new CriticalAlertService();

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => CriticalAlertPayload, { description: 'Confirms you have seen a critical result; stops its escalation.' })
  async acknowledgeCriticalAlert(@Ctx() { em, access, user }: GraphQLContext, @Arg('alertId', () => ID) alertId: string): Promise<CriticalAlertPayload> {
    return { alert: await this.service.acknowledge(em, access, user!.id, alertId) };
  }

  @Authorized()
  @Query(() => CriticalAlert, { description: 'A critical lab result you may see (LABS), e.g. the subject of a notification.' })
  criticalAlert(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<CriticalAlert> {
    return this.service.findFor(em, access, id);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Query(() => [CriticalAlert], { description: 'The critical results not yet acknowledged of the patients on your care teams, newest first.' })
  myCriticalAlerts(@Ctx() { em, access, user }: GraphQLContext): Promise<CriticalAlert[]> {
    return this.service.listForMyPatients(em, access, user!.id);
  }

  @Authorized([Role.IOP_CLINICIAN, Role.PCP, Role.PATIENT])
  @Subscription(() => CriticalAlert, {
    description: 'Critical lab results as they are raised, of every patient you may see (or of `patientId` only), each shown as `criticalAlert` would show it.',
    subscribe: ({ context, args }: SubscribeResolverData<unknown, { patientId?: string | null }, GraphQLContext>) =>
      liveUpdates(context, 'criticalAlertRaised', { patientId: args.patientId }, ({ em, access }, event) => criticalAlerts.findFor(em, access, event.recordId)),
  })
  criticalAlertRaised(@Root() alert: CriticalAlert, @Arg('patientId', () => ID, { nullable: true }) _patientId?: string): CriticalAlert {
    return alert;
  }

  @FieldResolver(() => ID, { description: 'The patient the result is about.' })
  patientId(@Root() alert: CriticalAlert): string {
    return alert.patient.id;
  }

  @FieldResolver(() => LabResult)
  async labResult(@Root() alert: CriticalAlert, @Ctx() { em }: GraphQLContext) {
    return em.findOneOrFail(LabResult, { id: alert.labResult.id });
  }
}

@Resolver(() => Patient)
export class PatientCriticalAlertResolver {
  private readonly service = new CriticalAlertService();

  @FieldResolver(() => [CriticalAlert], { nullable: true, description: 'Critical lab results, newest first (LABS).' })
  criticalAlerts(@Root() patient: PatientRow, @Ctx() { em, access }: GraphQLContext) {
    return this.service.listFor(em, access, patient.id);
  }
}
