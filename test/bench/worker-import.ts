import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Role } from '../../src/auth/roles';
import { addToOutbox } from '../../src/jobs/outbox';
import { InboxMessage, InboxSource, InboxState } from '../../src/modules/ingest/inbox-message.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../../src/modules/patients/patient-identifier.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { startHarness, type Harness } from '../helpers/harness';
import { until } from '../helpers/workers';
import { seedWorld } from '../helpers/world';
import type { ProbeReading } from './worker-probe';
import { postgresCpu } from './accept-throughput';

// BENCH_WORKER_CHECKOUT=<dir>: the worker processes of another checkout (same migrations), for A/B runs.
const repository = process.env.BENCH_WORKER_CHECKOUT ?? join(__dirname, '..', '..');
const concurrency = 16;
const hl7Patients = 200;
const fhirPatients = 100;
const hl7Messages = 4000;
/** Every `burstEvery` messages, `burstSize` in a row for one patient (a lab's batch run for one patient). */
const burstEvery = 500;
const burstSize = Number(process.env.BENCH_BURST ?? 50);
const fhirBundles = 600;

/** An ORU^R01 with one final potassium result (or, for `critical`, a lithium level flagged HH). */
function oru(controlId: string, mrn: string, patient: Patient, critical: boolean): string {
  const [code, name, value, unit, range, flag] = critical
    ? ['14334-7', 'Lithium', '1.8', 'mmol/L', '0.6-1.2', 'HH']
    : ['2823-3', 'Potassium', '4.1', 'mmol/L', '3.5-5.1', 'N'];
  return [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${mrn}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`,
    `OBR|1|${controlId}|${controlId}-F|${code}^${name}^LN|||20261201070000|||||||||||||||20261201080000|||F`,
    `OBX|1|NM|${code}^${name}^LN||${value}|${unit}|${range}|${flag}|||F|||20261201070000`,
  ].join('\r');
}

interface Workload {
  hl7: InboxMessage[];
  fhir: InboxMessage[];
}

/** Stores the workload as accepted messages (inbox rows, RECEIVED); their import jobs are added later, all at once. */
async function storeWorkload(h: Harness): Promise<Workload> {
  const world = await seedWorld(h.orm.em.fork());
  const em = h.orm.em.fork();
  const labId = world.claims[Role.LAB].organizationId!;
  const practiceId = world.claims[Role.PCP].organizationId!;
  const lab = em.getReference(Organization, labId);
  const labPatients = Array.from({ length: hl7Patients }, (_, index) => new Patient(`Given${index}`, `Bench${index}`, `19${String(50 + (index % 50))}-03-14`));
  em.persist(labPatients);
  em.persist(labPatients.map((patient, index) => new PatientIdentifier(patient, lab, `BENCH-${index}`, 'REGLAB')));
  const practicePatients = Array.from({ length: fhirPatients }, (_, index) =>
    Object.assign(new Patient(`Given${index}`, `Fhir${index}`, `19${String(50 + (index % 50))}-06-14`), { phone: `555-020-${String(index).padStart(4, '0')}` }),
  );
  em.persist(practicePatients);

  const accepted = (source: InboxSource, organizationId: string, messageId: string, text: string, contentType: string) =>
    new InboxMessage({ source, sourceOrganizationId: organizationId, sourceMessageId: messageId, contentType, headers: {}, raw: Buffer.from(text, 'latin1'), charset: 'utf-8' });

  const hl7 = Array.from({ length: hl7Messages }, (_, sequence) => {
    const inBurst = sequence % burstEvery < burstSize;
    const index = inBurst ? Math.floor(sequence / burstEvery) % hl7Patients : sequence % hl7Patients;
    const controlId = `BENCH-${sequence}`;
    return accepted(InboxSource.HL7V2, labId, controlId, oru(controlId, `BENCH-${index}`, labPatients[index], sequence % 100 === 7), 'x-application/hl7-v2+er7');
  });
  const exportBundle = readFileSync(join(__dirname, '..', 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8');
  const fhir = Array.from({ length: fhirBundles }, (_, sequence) => {
    const index = sequence % fhirPatients;
    const patient = practicePatients[index];
    const bundle = JSON.parse(exportBundle.replace('maple-export-0001', `bench-${sequence}`)) as { entry: { resource: Record<string, unknown> }[] };
    Object.assign(bundle.entry[0].resource, {
      identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: `BENCH-${index}` }],
      name: [{ family: patient.familyName, given: [patient.givenName] }],
      birthDate: patient.birthDate,
      telecom: [{ system: 'phone', value: patient.phone }],
    });
    return accepted(InboxSource.FHIR, practiceId, `bench-${sequence}`, JSON.stringify(bundle), 'application/fhir+json');
  });
  em.persist([...hl7, ...fhir]);
  await em.flush();
  return { hl7, fhir };
}

/** A worker process as deployed (src/worker.ts), with the statement and CPU probe preloaded. */
function startWorkerProcess(h: Harness): { child: ChildProcess; probe(): Promise<ProbeReading>; stop(): Promise<void> } {
  const child = fork(join('src', 'worker.ts'), [], {
    cwd: repository,
    execArgv: [
      '-r', '@swc-node/register', '-r', './test/bench/worker-probe.ts',
      // BENCH_WORKER_CPU_PROF=<dir>: a V8 CPU profile of each worker process, written when it stops.
      ...(process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`] : []),
    ],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: h.config.DATABASE_URL,
      REDIS_URL: h.config.REDIS_URL,
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      WORKER_CONCURRENCY: String(concurrency),
      DATABASE_POOL_MAX: String(concurrency + 4),
      OUTBOX_POLL_INTERVAL_MS: '50',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    child,
    probe: () =>
      new Promise((resolve) => {
        child.once('message', (reading) => resolve(reading as ProbeReading));
        child.send('probe');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Waits until a process has started and sits idle (its CPU time stops growing). */
async function idle(worker: { probe(): Promise<ProbeReading> }): Promise<void> {
  let last = await worker.probe();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await worker.probe();
    if (now.cpuMs - last.cpuMs < 15) return;
    last = now;
  }
}

export interface ImportFigures {
  messages: number;
  seconds: number;
  perSecond: number;
  cpuMsPerMessage: number;
  /** CPU of the Postgres backends serving the run's database (the workers' and the bench's own polling). */
  postgresCpuMsPerMessage: number;
  statementsPerMessage: number;
  /** Batches whose wait for patients' imports held elsewhere ran out (those messages left for later). */
  patientWaitsGivenUp: number;
}

/** Queues the import of `messages` at once (their outbox rows in one commit) and times them until none is RECEIVED. */
async function importAll(h: Harness, workers: { probe(): Promise<ProbeReading> }[], messages: InboxMessage[]): Promise<ImportFigures> {
  const sum = (readings: ProbeReading[]) =>
    readings.reduce((total, each) => ({
      cpuMs: total.cpuMs + each.cpuMs,
      statements: total.statements + each.statements,
      patientWaitsGivenUp: total.patientWaitsGivenUp + each.patientWaitsGivenUp,
    }));
  const before = sum(await Promise.all(workers.map((worker) => worker.probe())));
  const postgresBefore = await postgresCpu(h);
  const em = h.orm.em.fork();
  const started = performance.now();
  for (const message of messages) addToOutbox(em, 'inbound-messages', 'message.received', { inboxMessageId: message.id });
  await em.flush();
  const ids = messages.map((message) => message.id);
  // Polled every 50 ms while the workers run, so it must cost Postgres little: by source and state (indexed), not
  // by thousands of ids. A workload's messages are all of one source, and the only ones of it stored.
  const waiting = () => h.orm.em.fork().count(InboxMessage, { source: messages[0].source, state: InboxState.RECEIVED });
  const left = await until(waiting, (count) => count === 0, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const after = sum(await Promise.all(workers.map((worker) => worker.probe())));
  const postgresAfter = await postgresCpu(h);
  const postgresSeconds = [...postgresAfter].reduce((total, [pid, seconds]) => total + seconds - (postgresBefore.get(pid) ?? 0), 0);
  if (left > 0) throw new Error(`benchmark: ${left} of ${messages.length} messages not imported`);
  const processed = await h.orm.em.fork().count(InboxMessage, { id: { $in: ids }, state: InboxState.PROCESSED });
  if (processed !== messages.length) throw new Error(`benchmark: ${messages.length - processed} of ${messages.length} messages held, failed or rejected`);
  return {
    messages: messages.length,
    seconds,
    perSecond: messages.length / seconds,
    cpuMsPerMessage: (after.cpuMs - before.cpuMs) / messages.length,
    postgresCpuMsPerMessage: (postgresSeconds * 1000) / messages.length,
    statementsPerMessage: (after.statements - before.statements) / messages.length,
    patientWaitsGivenUp: after.patientWaitsGivenUp - before.patientWaitsGivenUp,
  };
}

/** The workload imported by `processes` worker processes on a database of its own. */
async function run(template: string, processes: number): Promise<{ hl7: ImportFigures; fhir: ImportFigures | null }> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production' }, template);
  const workers: ReturnType<typeof startWorkerProcess>[] = [];
  try {
    const workload = await storeWorkload(h);
    for (let index = 0; index < processes; index++) workers.push(startWorkerProcess(h));
    await Promise.all(workers.map(idle));
    const hl7 = await importAll(h, workers, workload.hl7);
    // BENCH_WORKER_HL7_ONLY=1: the HL7 workload only (for profiling it alone).
    if (process.env.BENCH_WORKER_HL7_ONLY) return { hl7, fhir: null };
    const fhir = await importAll(h, workers, workload.fhir);
    return { hl7, fhir };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await h.close();
  }
}

const line = (label: string, figures: ImportFigures) =>
  `${label.padEnd(34)} ${figures.perSecond.toFixed(0).padStart(6)} messages/s (${figures.messages} in ${figures.seconds.toFixed(2)} s)   ` +
  `CPU ${figures.cpuMsPerMessage.toFixed(2)} ms/message + PG ${figures.postgresCpuMsPerMessage.toFixed(2)} ms   ${figures.statementsPerMessage.toFixed(2)} SQL/message   ` +
  `patient waits given up ${figures.patientWaitsGivenUp}`;

/**
 * The worker end to end: accepted messages (stored, their import jobs committed to the outbox at
 * once) → relay → BullMQ → import → PROCESSED, by one real worker process (src/worker.ts) and by
 * two. CPU and statements are the worker processes' own (relay and critical-alert jobs included),
 * then the CPU of the Postgres backends of the run's database; Redis's is not counted.
 */
export async function workerImportBench(template: string): Promise<void> {
  const one = await run(template, 1);
  // BENCH_WORKER_ONE=1: one process only (for profiling).
  const two = process.env.BENCH_WORKER_ONE ? null : await run(template, 2);
  console.log(
    `\nWorker import end to end (preloaded: ${hl7Messages} HL7 ORU^R01 over ${hl7Patients} patients, bursts of ${burstSize} for one patient every ${burstEvery}, ` +
      `1% critical; ${fhirBundles} FHIR Bundles of 9 resources over ${fhirPatients} patients; WORKER_CONCURRENCY ${concurrency} per process)`,
  );
  console.log(line('HL7, 1 worker process', one.hl7));
  if (two) console.log(line('HL7, 2 worker processes', two.hl7));
  // BENCH_WORKER_HL7_ONLY=1 imports no FHIR: no FHIR lines.
  if (one.fhir) console.log(line('FHIR, 1 worker process', one.fhir));
  if (two?.fhir) console.log(line('FHIR, 2 worker processes', two.fhir));
  if (!two) return;
  const ratio = (twoFigures: ImportFigures, oneFigures: ImportFigures) => `${(twoFigures.perSecond / oneFigures.perSecond).toFixed(2)}×`;
  const ratios = [`HL7 ${ratio(two.hl7, one.hl7)}`, ...(two.fhir && one.fhir ? [`FHIR ${ratio(two.fhir, one.fhir)}`] : [])];
  console.log(`2 vs 1 process: ${ratios.join(', ')}`);
}
