import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/auth/roles';
import { Patient } from '../../src/modules/patients/patient.entity';
import { startHarness } from '../helpers/harness';
import { seedWorld } from '../helpers/world';
import { importWaiting } from './hl7-ingest';
import { measure, row } from './measure';

const inFlight = 8;

/**
 * FHIR R4 ingest: Bundles accepted per second over POST /ingest/fhir (validated, stored raw with
 * their import job, answered 202), then imported per second by the worker (WORKER_CONCURRENCY 8),
 * spread over 200 patients. Each Bundle is the demo practice export (a Patient and 8 resources).
 */
export async function fhirIngestBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '12', WORKER_CONCURRENCY: String(inFlight) }, template);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const em = h.orm.em.fork();
    const patients = Array.from({ length: 200 }, (_, index) =>
      Object.assign(new Patient(`Given${index}`, `Fhir${index}`, `19${String(50 + (index % 50))}-03-14`), { phone: `555-020-${String(index).padStart(4, '0')}` }),
    );
    await em.persist(patients).flush();
    const exportBundle = readFileSync(join(__dirname, '..', 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8');
    const token = await h.token(world.claims[Role.PCP], '1h');
    let sequence = 0;
    const nextBundle = () => {
      const index = sequence % patients.length;
      const patient = patients[index];
      const bundle = JSON.parse(exportBundle.replace('maple-export-0001', `bench-${++sequence}`)) as { entry: { resource: Record<string, unknown> }[] };
      Object.assign(bundle.entry[0].resource, {
        identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: `BENCH-${index}` }],
        name: [{ family: patient.familyName, given: [patient.givenName] }],
        birthDate: patient.birthDate,
        telecom: [{ system: 'phone', value: patient.phone }],
      });
      return JSON.stringify(bundle);
    };
    const overHttp = async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/ingest/fhir',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
        payload: nextBundle(),
      });
      if (response.statusCode !== 202) throw new Error(`benchmark Bundle answered ${response.statusCode}`);
    };

    const bundles = 400;
    const accepted = await measure(bundles, inFlight, overHttp);
    const imported = await importWaiting(h, bundles);
    console.log(`\nFHIR R4 Bundle ingest (${bundles} Bundles of 9 resources, ${inFlight} in flight; worker concurrency ${inFlight})`);
    console.log(row('accepted over HTTP (validated, stored raw + outbox, 202)', accepted));
    console.log(`imported by the worker, 200 patients: ${imported.perSecond.toFixed(0)} Bundles/s (${bundles} in ${imported.seconds.toFixed(1)} s)`);
    console.log(`imported vs accepted: ${(imported.perSecond / accepted.perSecond).toFixed(2)}×`);
  } finally {
    await h.close();
  }
}
