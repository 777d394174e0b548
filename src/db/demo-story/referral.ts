import type { EntityManager } from '@mikro-orm/postgresql';
import { DataCategory } from '../../modules/consent/data-category';
import { ReferralUrgency } from '../../modules/referrals/referral-packet';
import { ReferralService } from '../../modules/referrals/referral.service';
import type { DemoCast } from '../seed';
import { actAs } from './acting';
import { daysAhead } from './calendar';

const referrals = new ReferralService();

/** Riley's referral to the local clinic for in-person therapy: sent, received, accepted and booked for next week. */
export async function referRiley(em: EntityManager, cast: DemoCast): Promise<void> {
  const { prescriber, localProvider } = cast.staff;
  const patientId = cast.patients[2].id;
  let referral = await actAs(em, prescriber, 'CreateReferral', ({ em: fork, access, user }) =>
    referrals.create(fork, access, user, {
      patientId,
      recipientOrganizationId: cast.organizations.localProvider,
      urgency: ReferralUrgency.ROUTINE,
      requestedService: 'Weekly in-person CBT for depression and anxiety after IOP step-down',
      reason: 'Completing the IOP; needs continued individual therapy close to home',
      clinicalQuestion: 'Can you take over weekly CBT and tell us how the lithium augmentation is tolerated?',
      requestedCategories: [DataCategory.DIAGNOSES, DataCategory.MEDICATIONS, DataCategory.TREATMENT_SUMMARY],
    }),
  );
  referral = await actAs(em, prescriber, 'SendReferral', ({ em: fork, access, user }) => referrals.send(fork, access, user, referral.id, referral.version));
  referral = await actAs(em, localProvider, 'ReceiveReferral', ({ em: fork, access, user }) => referrals.receive(fork, access, user, referral.id, referral.version));
  referral = await actAs(em, localProvider, 'AcceptReferral', ({ em: fork, access, user }) => referrals.accept(fork, access, user, referral.id, referral.version));
  const appointment = daysAhead(6);
  appointment.setUTCHours(15, 0, 0, 0);
  await actAs(em, localProvider, 'ScheduleReferral', ({ em: fork, access, user }) =>
    referrals.schedule(fork, access, user, referral.id, referral.version, appointment, 'Downtown Behavioral Health Clinic, 200 Main St, room 2'),
  );
}
