import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../src/modules/patients/care-team-member.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { Delivery, DeliveryEvent, DeliveryStatus } from '../src/modules/pharmacy/delivery.entity';
import { User } from '../src/modules/users/user.entity';
import { harnessWorker, type AppProcess } from './helpers/app-processes';
import { startHarness, type Harness } from './helpers/harness';
import { deliveryEvent, postEvent, webhookSource } from './helpers/pharmacy';
import { addRoutedPrescription } from './helpers/routed-prescriptions';
import { until } from './helpers/workers';
import { addSecondProgram, seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let worker: AppProcess;
let secret: string;
const source = 'burst-pharmacy';

const statuses = ['RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

/** Patients of both programs, each with its program's MRN: the burst spans programs and piles up on each patient. */
async function addPatients(count: number, programId: string, prescriberId: string): Promise<{ id: string; mrn: string; birthDate: string }[]> {
  const em = h.orm.em.fork();
  const program = em.getReference(Organization, programId);
  const patients = Array.from({ length: count }, (_, index) => {
    const birthDate = new Date(Date.UTC(1960, 0, 1 + index * 97)).toISOString().slice(0, 10);
    const patient = new Patient(`Burst${index}`, 'Patient', birthDate);
    const enrollment = new Enrollment(patient, program);
    const mrn = `BURST-${programId.slice(0, 4)}-${index}`;
    em.persist([patient, enrollment, new CareTeamMember(enrollment, em.getReference(User, prescriberId), CareTeamRole.PRESCRIBER), new PatientIdentifier(patient, program, mrn)]);
    return { patient, mrn, birthDate };
  });
  await em.flush();
  return patients.map(({ patient, mrn, birthDate }) => ({ id: patient.id, mrn, birthDate }));
}

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
  return items;
}

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  const second = await addSecondProgram(h.orm.em.fork(), world);
  ({ secret } = await webhookSource(h, world.claims[Role.ADMIN], world.claims[Role.PHARMACIST].organizationId!, source));
  const patients = [
    ...(await addPatients(5, world.iopId, world.claims[Role.IOP_CLINICIAN].userId)),
    ...(await addPatients(5, second.iopId, second.clinician.userId)),
  ];
  prescriptions = [];
  for (let index = 0; index < 200; index++) {
    const patient = patients[index % patients.length];
    const prescriber = index % 2 === 0 ? world.claims[Role.IOP_CLINICIAN] : second.clinician;
    const prescription = await addRoutedPrescription(h.orm.em, {
      patientId: patient.id,
      programId: prescriber.organizationId!,
      prescriberId: prescriber.userId,
      pharmacyId: world.claims[Role.PHARMACIST].organizationId!,
    });
    const rxNumber = prescription.rxNumber!;
    prescriptions.push({ id: prescription.id, base: { source, rxNumber, mrn: patient.mrn, birthDate: patient.birthDate } });
  }
  // The real worker process, killed (SIGKILL) while it applies the burst.
  worker = harnessWorker(h, {
    DATABASE_POOL_MAX: '6',
    OUTBOX_POLL_INTERVAL_MS: '50',
    OUTBOX_RECONCILE_SECONDS: '0.5',
    OUTBOX_RECONCILE_AFTER_SECONDS: '2',
    JOB_LOCK_MS: '2000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    JOB_BACKOFF_MS: '100',
  });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await h.close();
});

let prescriptions: { id: string; base: { source: string; rxNumber: string; mrn: string; birthDate: string } }[];

it('stores 1,000 concurrent webhook posts (200 deliveries × 5 events, shuffled) and applies each exactly once, through a worker killed mid-burst', async () => {
  const start = Date.now() - 3600_000;
  const events = shuffle(
    prescriptions.flatMap((rx, index) =>
      statuses.map((status, step) => deliveryEvent(rx.base, `burst-${index}-${status}`, status, new Date(start + step * 60_000).toISOString())),
    ),
  );
  // A tenth of them sent twice at once: a resend is the same message.
  const resent = events.slice(0, 100);
  worker.start();
  const began = Date.now();
  const answers = await Promise.all([...events, ...resent].map((event) => postEvent(h, source, secret, event)));
  const acceptedMs = Date.now() - began;
  expect(answers.filter((answer) => answer.status >= 300)).toEqual([]);
  expect(answers.filter((answer) => answer.status === 202).length).toBeGreaterThanOrEqual(1000);
  expect(await h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY })).toBe(1000);

  const appliedSoFar = () => h.orm.em.fork().count(DeliveryEvent, {});
  await until(appliedSoFar, (count) => count >= 150, 60_000);
  await worker.kill();
  worker.start();

  const applied = await until(appliedSoFar, (count) => count >= 1000, 240_000);
  const appliedMs = Date.now() - began;
  expect(applied).toBe(1000);
  const waiting = await until(
    () => h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY, state: { $ne: InboxState.PROCESSED } }),
    (count) => count === 0,
    30_000,
  );
  expect(waiting).toBe(0);
  const deliveries = await h.orm.em.fork().find(Delivery, {}, { populate: ['events'] });
  expect(deliveries).toHaveLength(200);
  expect(deliveries.filter((delivery) => delivery.status !== DeliveryStatus.DELIVERED)).toEqual([]);
  expect(deliveries.filter((delivery) => delivery.events.length !== 5).map((delivery) => delivery.events.length)).toEqual([]);
  // Nothing left to do in the outbox: every row's effect committed.
  await until(() => h.orm.em.fork().count(OutboxMessage, { doneAt: null }), (count) => count === 0, 30_000);
  expect(worker.kills).toBe(1);
  // Ids only in the worker's output, never a patient's birth date or MRN.
  expect(worker.output).not.toMatch(/BURST-|19[6-9]\d-\d\d-\d\d/);
  console.log(`1,000 webhooks (+100 resends): accepted in ${acceptedMs} ms, all applied in ${appliedMs} ms (worker killed once)`);
}, 400_000);
