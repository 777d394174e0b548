import { UnrecoverableError, type Job } from 'bullmq';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { Prescription, PrescriptionRouting } from '../medications/prescription.entity';
import { NotificationSubject } from '../notifications/notification-subject';
import type { Notifier } from '../notifications/notify';
import { Organization } from '../organizations/organization.entity';
import { PatientIdentifier } from '../patients/patient-identifier.entity';
import { User } from '../users/user.entity';
import { deliverWebhookOfJob } from '../webhooks/webhook-delivery';
import { medicationRequestOf } from './medication-request';
import { PharmacyDispatch } from './pharmacy-dispatch.entity';
import { PrescriptionRoutingService } from './prescription-routing.service';

type Payloads = JobPayloads['pharmacy-events'];

const routing = new PrescriptionRoutingService();

/**
 * Prescription routing's jobs on the `pharmacy-events` queue: tells a prescriber their prescription awaits a consent, routes the
 * prescriptions a newly signed consent covers (and, on a schedule, those a consent covers once it
 * starts), and delivers each message about a routed
 * prescription to its pharmacy's webhook endpoint (signed, with exponential retries). Every step
 * is idempotent: notifications are keyed, routing re-decides under the patient's lock, and a
 * delivered message is never sent again.
 */
export async function prescriptionRoutingProcessor(job: Job, context: JobContext): Promise<unknown> {
  switch (job.name) {
    case 'prescription.awaiting-consent':
      return tellAwaitingConsent(job as Job<Payloads['prescription.awaiting-consent']>, context);
    case 'consent.signed':
      return { routed: await routing.routeCoveredBy(context.orm.em.fork(), (job.data as Payloads['consent.signed']).consentId) };
    case 'prescriptions.route-due':
      return { routed: await routing.routeDue(context.orm.em.fork()) };
    case 'prescription.deliver':
      return deliver(job as Job<Payloads['prescription.deliver']>, context);
    default:
      throw new UnrecoverableError(`Unknown pharmacy-events job ${job.name}`);
  }
}

function tellPrescriber(em: EntityManager, notifier: Notifier, prescription: Prescription, kind: string, sourceKey: string): Promise<number> {
  return notifier.notifyUsers(em, prescription.prescriberId ? [prescription.prescriberId] : [], {
    kind,
    subjectType: NotificationSubject.PRESCRIPTION,
    subjectId: prescription.id,
    sourceKey,
  });
}

async function tellAwaitingConsent(job: Job<Payloads['prescription.awaiting-consent']>, { orm, notifier }: JobContext) {
  const em = orm.em.fork();
  const prescription = await em.findOne(Prescription, { id: job.data.prescriptionId });
  // Routed (a consent was signed meanwhile) or withdrawn: nothing left to tell.
  if (prescription?.routing !== PrescriptionRouting.AWAITING_CONSENT) return { notified: 0 };
  return { notified: await tellPrescriber(em, notifier, prescription, 'prescription.awaiting-consent', `${job.queueName}/${job.id}`) };
}

/** The MedicationRequest a dispatch carries, as JSON: the exact bytes signed and sent. */
async function bodyOf(em: EntityManager, dispatch: PharmacyDispatch): Promise<string> {
  const prescription = dispatch.prescription;
  const [mrn, program, prescriber] = await Promise.all([
    em.findOne(PatientIdentifier, { patient: prescription.patient.id, organization: prescription.sourceOrganization.id }, { orderBy: { system: 'asc' } }),
    em.findOne(Organization, { id: prescription.sourceOrganization.id }),
    prescription.prescriberId ? em.findOne(User, { id: prescription.prescriberId }) : null,
  ]);
  const request = medicationRequestOf(prescription, dispatch.kind, { patient: prescription.patient, mrn: mrn?.value ?? null, programName: program?.name ?? '' }, prescriber?.displayName ?? null);
  return JSON.stringify(request);
}

/**
 * POSTs one dispatch to its pharmacy's endpoint (`deliverWebhookOfJob`); the pharmacy's worklist
 * is its channel when it has no endpoint, and the prescriber is told when it fails for good.
 */
async function deliver(job: Job<Payloads['prescription.deliver']>, context: JobContext) {
  const { orm, logger, notifier } = context;
  const em = orm.em.fork();
  const dispatch = await em.findOne(PharmacyDispatch, { id: job.data.dispatchId }, { populate: ['prescription', 'prescription.patient'] });
  if (!dispatch) {
    logger.warn({ jobId: job.id, dispatchId: job.data.dispatchId }, 'pharmacy dispatch not found; nothing to send');
    return { status: null };
  }
  if (dispatch.isSettled) return { status: dispatch.status };
  await deliverWebhookOfJob(em, job, context, {
    organizationId: dispatch.pharmacy.id,
    state: dispatch,
    body: () => bodyOf(em, dispatch),
    contentType: 'application/fhir+json',
    idempotencyKey: dispatch.id,
    logFields: { dispatchId: dispatch.id },
    failedForGood: async () => {
      await tellPrescriber(em, notifier, dispatch.prescription, 'prescription.delivery-failed', `pharmacy-delivery-failed/${dispatch.id}/${job.id}`);
    },
  });
  return { status: dispatch.status };
}
