import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Role } from '../../src/auth/roles';
import { addToOutbox } from '../../src/jobs/outbox';
import { OutboxRelay } from '../../src/jobs/outbox-relay';
import { createLogger } from '../../src/logger';
import { MeDocument, PatientViewDocument, PatientWithCareDocument, PatientsDocument } from '../generated/graphql';
import { generatePatients, samplePatientIds } from './patient-data';
import { addClinicalRecords } from '../helpers/clinical-data';
import { Consent } from '../../src/modules/consent/consent.entity';
import { DataCategory, Purpose } from '../../src/modules/consent/data-category';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { buildTemplateDatabase, testDatabasePrefix } from '../helpers/databases';
import { startHarness, type Harness } from '../helpers/harness';
import { seedWorld } from '../helpers/world';
import { acceptThroughputBench } from './accept-throughput';
import { apiMemoryBench } from './api-memory';
import { fhirIngestBench } from './fhir-ingest';
import { hl7IngestBench } from './hl7-ingest';
import { readPathBench } from './read-path';
import { workerImportBench } from './worker-import';
import { pharmacyWebhooksBench } from './pharmacy-webhooks';
import { liveUpdatesBench } from './live-updates';
import { measure, row, type Stats } from './measure';

/**
 * `npm run bench`: figures for the foundation, measured side by side in one run on the real
 * Postgres and Redis. Not a test: it prints, it does not judge.
 */
// Named after the configured database, as the test databases are: checkouts configured apart never share it.
const benchTemplate = `${testDatabasePrefix}bench_template`;

async function graphqlBench(h: Harness): Promise<void> {
  const world = await seedWorld(h.orm.em.fork());
  const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  const expectOk = async (promise: Promise<{ errors?: unknown }>) => {
    const result = await promise;
    if (result.errors) throw new Error(`benchmark request failed: ${JSON.stringify(result.errors)}`);
  };
  const runs = {
    me: () => expectOk(h.graphql(MeDocument, {}, clinician)),
    patient: () => expectOk(h.graphql(PatientWithCareDocument, { id: world.patients[0].id }, clinician)),
    patients: () => expectOk(h.graphql(PatientsDocument, { first: 3 }, clinician)),
  };
  for (const run of Object.values(runs)) await measure(50, 4, run); // warm-up
  const me = await measure(1000, 8, runs.me);
  const patient = await measure(1000, 8, runs.patient);
  const patients = await measure(1000, 8, runs.patients);
  console.log('\nGraphQL over HTTP (Fastify inject, 1,000 requests, 8 in flight)');
  console.log(row('me (auth only, no patient data, no audit)', me));
  console.log(row('patient + enrolments + care team (policy, audit)', patient));
  console.log(row('patients, page of 3 (policy scope, audit ×3)', patients));
  console.log(`cost of patient data (policy + loaders + audit) vs auth only: ${(me.perSecond / patient.perSecond).toFixed(2)}× time per request`);
}

async function relayBench(h: Harness): Promise<void> {
  const silent = createLogger('silent');
  const rows = 5000;
  const results: string[] = [];
  const perSecond: Record<number, number> = {};
  for (const batchSize of [1, 100]) {
    const em = h.orm.em.fork();
    for (let i = 0; i < rows; i++) addToOutbox(em, 'notifications', 'patient.enrolled', { enrollmentId: `bench-${batchSize}-${i}` });
    await em.flush();
    const relay = new OutboxRelay(h.orm, h.queues, silent, { batchSize, pollIntervalMs: 10 });
    const limit = batchSize === 1 ? 500 : rows;
    const started = performance.now();
    let moved = 0;
    while (moved < limit) moved += await relay.relayOnce();
    const seconds = (performance.now() - started) / 1000;
    perSecond[batchSize] = moved / seconds;
    results.push(`batch ${String(batchSize).padStart(3)}: ${moved} rows in ${seconds.toFixed(2)} s = ${perSecond[batchSize].toFixed(0)} rows/s`);
    while ((await relay.relayOnce()) > 0);
    await h.queues.get('notifications').obliterate({ force: true });
  }
  console.log('\nOutbox relay to BullMQ (claim FOR UPDATE SKIP LOCKED, addBulk, mark)');
  results.forEach((line) => console.log(line));
  console.log(`batch 100 vs batch 1: ${(perSecond[100] / perSecond[1]).toFixed(1)}× rows/s`);
}

/**
 * The full patient view (PatientView operation: demographics, care, every clinical kind) on a
 * generated data set, for random patients: the same measurement at two data-set sizes.
 */
async function patientViewBench(patients: number, recordsEach: number): Promise<{ label: string; stats: Stats; statements: number; loadSeconds: number }> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '10' }, benchTemplate);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const loadStarted = performance.now();
    await generatePatients(h.orm.em.fork(), { programId: world.iopId, clinicianId: clinician.userId }, patients, recordsEach);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const token = await h.token(clinician, '1h');
    const ids = await samplePatientIds(h.orm.em.fork(), 200);
    let next = 0;
    const view = async () => {
      const result = await h.graphql(PatientViewDocument, { id: ids[next++ % ids.length] }, token);
      if (result.errors) throw new Error(`benchmark request failed: ${JSON.stringify(result.errors)}`);
    };
    await measure(50, 4, view); // warm-up
    h.sqlStatements.length = 0;
    const requests = 500;
    const stats = await measure(requests, 8, view);
    return { label: `${patients.toLocaleString('en-US')} patients × ${recordsEach} records`, stats, statements: h.sqlStatements.length / requests, loadSeconds };
  } finally {
    await h.close();
  }
}

/**
 * The cost of consent checking on the full patient view: the same view, as the care team (no
 * consent to look up) and as a primary-care practice under a consent listing every category
 * (consents looked up, every record's labels checked).
 */
async function consentPolicyBench(): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production' }, benchTemplate);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const patientId = world.patients[0].id;
    await addClinicalRecords(h.orm.em, { patientId, programId: world.iopId, pharmacyId: world.claims[Role.PHARMACIST].organizationId!, clinicianId: clinician.userId }, 60);
    const em = h.orm.em.fork();
    const consent = new Consent(
      em.getReference(Patient, patientId),
      em.getReference(Organization, world.iopId),
      {
        recipientOrganizationIds: [world.claims[Role.PCP].organizationId!],
        recipientUserIds: [],
        purpose: Purpose.TREATMENT,
        categories: [DataCategory.DEMOGRAPHICS, DataCategory.DIAGNOSES, DataCategory.MEDICATIONS, DataCategory.TREATMENT_SUMMARY, DataCategory.LABS, DataCategory.SUD],
        startsAt: new Date(Date.now() - 1000),
        expiresAt: new Date(Date.now() + 86_400_000),
        expiryEvent: null,
      },
      clinician.userId,
    );
    consent.sign('Avery Demo', true, world.claims[Role.PATIENT].userId);
    await em.persistAndFlush(consent);
    const viewAs = (token: string) => async () => {
      const result = await h.graphql(PatientViewDocument, { id: patientId }, token);
      if (!result.data?.patient) throw new Error(`benchmark request failed: ${JSON.stringify(result.errors)}`);
    };
    const careTeam = viewAs(await h.token(clinician, '1h'));
    const practice = viewAs(await h.token(world.claims[Role.PCP], '1h'));
    await measure(30, 4, careTeam);
    await measure(30, 4, practice);
    const asCareTeam = await measure(400, 8, careTeam);
    const asPractice = await measure(400, 8, practice);
    console.log('\nConsent checking on the patient view (60 records, 400 requests, 8 in flight)');
    console.log(row('care team (no consent to look up)', asCareTeam));
    console.log(row('primary care under a consent (every label checked)', asPractice));
    console.log(`cost of consent checking: ${(asCareTeam.perSecond / asPractice.perSecond).toFixed(2)}× time per request`);
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  await buildTemplateDatabase(benchTemplate);
  // `npm run bench -- <section>`: that section alone.
  const sections: Record<string, (template: string) => Promise<unknown>> = {
    'hl7-ingest': hl7IngestBench,
    'fhir-ingest': fhirIngestBench,
    'accept-throughput': acceptThroughputBench,
    'worker-import': workerImportBench,
    'read-path': readPathBench,
    'pharmacy-webhooks': pharmacyWebhooksBench,
    'live-updates': liveUpdatesBench,
    'api-memory': apiMemoryBench,
  };
  const only = process.argv[2];
  if (only !== undefined) {
    if (!sections[only]) throw new Error(`no bench section ${only}; sections: ${Object.keys(sections).join(', ')}`);
    await sections[only](benchTemplate);
    return;
  }
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production' }, benchTemplate);
  try {
    await graphqlBench(h);
    await relayBench(h);
  } finally {
    await h.close();
  }
  await consentPolicyBench();
  await hl7IngestBench(benchTemplate);
  await fhirIngestBench(benchTemplate);
  await acceptThroughputBench(benchTemplate);
  await workerImportBench(benchTemplate);
  await pharmacyWebhooksBench(benchTemplate);
  const sizes = [await patientViewBench(1_000, 12), await patientViewBench(100_000, 12)];
  console.log('\nPatient view (PatientView operation, random patients, 500 requests, 8 in flight)');
  for (const { label, stats, statements, loadSeconds } of sizes) {
    console.log(`${row(label, stats)}   ${statements.toFixed(1)} SQL/request   (data generated in ${loadSeconds.toFixed(1)} s)`);
  }
  console.log(`100,000 vs 1,000 patients: ${(sizes[0].stats.perSecond / sizes[1].stats.perSecond).toFixed(2)}× time per request, ${(sizes[1].stats.p99 / sizes[0].stats.p99).toFixed(2)}× p99`);
  await readPathBench(benchTemplate);
  await liveUpdatesBench(benchTemplate);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
