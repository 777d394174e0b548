import { performance } from 'node:perf_hooks';
import { Role } from '../../src/auth/roles';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../../src/modules/patients/patient-identifier.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { DeliveryEvent } from '../../src/modules/pharmacy/delivery.entity';
import { startHarness } from '../helpers/harness';
import { deliveryEvent, postEvent, webhookSource } from '../helpers/pharmacy';
import { addRoutedPrescription } from '../helpers/routed-prescriptions';
import { startTestWorkers, until } from '../helpers/workers';
import { seedWorld } from '../helpers/world';
import { measure, row } from './measure';

const inFlight = 8;
const statuses = ['RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

/**
 * Pharmacy delivery webhooks: events accepted per second over POST /ingest/pharmacy/:source
 * (signature, contract, prescription and patient checked, stored raw with the import job, 202),
 * then applied end to end per second (the worker running while they arrive, WORKER_CONCURRENCY 8):
 * 200 deliveries × 5 events over 50 patients, in order per delivery.
 */
export async function pharmacyWebhooksBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '12', WORKER_CONCURRENCY: String(inFlight) }, template);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const pharmacyId = world.claims[Role.PHARMACIST].organizationId!;
    const { secret } = await webhookSource(h, world.claims[Role.ADMIN], pharmacyId, 'bench-pharmacy');
    const em = h.orm.em.fork();
    const patients = Array.from({ length: 50 }, (_, index) => ({ patient: new Patient(`Given${index}`, `Rx${index}`, `19${String(50 + (index % 50))}-05-20`), mrn: `RXB-${index}` }));
    em.persist(patients.flatMap(({ patient, mrn }) => [patient, new PatientIdentifier(patient, em.getReference(Organization, world.iopId), mrn)]));
    await em.flush();
    const bases: { source: string; rxNumber: string; mrn: string; birthDate: string }[] = [];
    for (let index = 0; index < 200; index++) {
      const { patient, mrn } = patients[index % patients.length];
      const prescriber = world.claims[Role.IOP_CLINICIAN];
      const prescription = await addRoutedPrescription(h.orm.em, { patientId: patient.id, programId: world.iopId, prescriberId: prescriber.userId, pharmacyId });
      bases.push({ source: 'bench-pharmacy', rxNumber: prescription.rxNumber!, mrn, birthDate: patient.birthDate });
    }
    const start = Date.now() - 3600_000;
    const events = statuses.flatMap((status, step) => bases.map((base, index) => deliveryEvent(base, `bench-${index}-${status}`, status, new Date(start + step * 60_000).toISOString())));
    let next = 0;
    const send = async () => {
      const response = await postEvent(h, 'bench-pharmacy', secret, events[next++]);
      if (response.status !== 202) throw new Error(`benchmark event answered ${response.status}`);
    };
    const workers = startTestWorkers(h);
    const started = performance.now();
    const accepted = await measure(events.length, inFlight, send);
    const applied = await until(() => h.orm.em.fork().count(DeliveryEvent, {}), (count) => count >= events.length, 300_000);
    const seconds = (performance.now() - started) / 1000;
    await workers.stop();
    if (applied < events.length) throw new Error(`benchmark: ${applied} of ${events.length} events applied`);
    console.log(`\nPharmacy delivery webhooks (${events.length} events: 200 deliveries × 5 over 50 patients, ${inFlight} in flight; worker concurrency ${inFlight})`);
    console.log(row('accepted over HTTP (signed, checked, stored, 202)', accepted));
    console.log(`applied end to end (posted → delivery updated): ${(events.length / seconds).toFixed(0)} events/s (${events.length} in ${seconds.toFixed(1)} s)`);
  } finally {
    await h.close();
  }
}
