import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { MedicationAlert } from './medication-alert.entity';
import { MedicationAlertService } from './medication-alert.service';

@ObjectType()
class MedicationAlertPayload {
  @Field(() => MedicationAlert)
  alert!: MedicationAlert;
}

const alerts = new MedicationAlertService();

@Resolver(() => MedicationAlert)
export class MedicationAlertResolver {
  @Authorized()
  @Query(() => MedicationAlert, { description: 'A medication alert you may see (e.g. the subject of a notification); NOT_FOUND otherwise.' })
  medicationAlert(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<MedicationAlert> {
    return alerts.findFor(em, access, id);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Query(() => [MedicationAlert], { description: 'The unacknowledged medication alerts of the patients on your care teams, newest first.' })
  myMedicationAlerts(@Ctx() { em, access, user }: GraphQLContext): Promise<MedicationAlert[]> {
    return alerts.listForMyPatients(em, access, user!);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => MedicationAlertPayload, { description: 'Confirms you have seen a medication alert (once; again changes nothing).' })
  async acknowledgeMedicationAlert(@Ctx() { em, access, user }: GraphQLContext, @Arg('alertId', () => ID) alertId: string): Promise<MedicationAlertPayload> {
    return { alert: await alerts.acknowledge(em, access, user!, alertId) };
  }

  @Authorized([Role.PHARMACIST])
  @Mutation(() => MedicationAlertPayload, {
    description: "Confirms your pharmacy has seen an alert about a prescription routed to it (once; again changes nothing); the care team's acknowledgement is theirs.",
  })
  async acknowledgeMedicationAlertForPharmacy(@Ctx() { em, access, user }: GraphQLContext, @Arg('alertId', () => ID) alertId: string): Promise<MedicationAlertPayload> {
    return { alert: await alerts.acknowledgeForPharmacy(em, access, user!, alertId) };
  }

  @FieldResolver(() => ID)
  patientId(@Root() alert: MedicationAlert): string {
    return alert.patient.id;
  }

  @FieldResolver(() => ID)
  prescriptionId(@Root() alert: MedicationAlert): string {
    return alert.prescription.id;
  }

  @FieldResolver(() => ID, { nullable: true })
  deliveryId(@Root() alert: MedicationAlert): string | null {
    return alert.delivery?.id ?? null;
  }
}

@Resolver(() => Patient)
export class PatientMedicationAlertResolver {
  @FieldResolver(() => [MedicationAlert], { nullable: true, description: 'Medication and delivery alerts, newest first (MEDICATIONS; SUD for MOUD).' })
  medicationAlerts(@Root() patient: PatientRow, @Ctx() { em, access }: GraphQLContext): Promise<MedicationAlert[]> {
    return alerts.listFor(em, access, patient.id);
  }
}
