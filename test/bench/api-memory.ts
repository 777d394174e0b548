import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { apiNodeFlags } from '../../src/api-flags';
import { Role } from '../../src/auth/roles';
import { loadConfig } from '../../src/config';
import { PatientViewDocument } from '../generated/graphql';
import { startHarness, type Harness } from '../helpers/harness';
import { seedWorld } from '../helpers/world';
import { closeSenderConnections, cpuSecondsOf, hl7OverMllp, overHttp, practiceBundle, send, startApi, stopApi, type ApiProcess, type Kind } from './accept-throughput';
import { generateReadPathPatients, sampleReadPathPatients } from './read-data';
import { drive, rssOf } from './read-path';

/**
 * Are the API's heap limits safe (issue 12)? The built API, started with each set of V8 flags in
 * turn, a fresh process per load, under loads the read-path bench does not make: 64 senders of
 * FHIR Bundles close to the body limit, 50 concurrent views of a patient with 10,000 records, and
 * HL7 over MLLP from 64 connections at full speed. Prints, per flags and load, whether the process
 * died (exit code or signal, "heap out of memory"), its peak RSS, the peak heap live after a full
 * collection (from --trace-gc), p99 and the API's CPU per request, with the load average.
 */

const seconds = Number(process.env.BENCH_MEMORY_SECONDS ?? 30);
/** The flag sets compared, `;` between sets, e.g. `--max-old-space-size=128;` (an empty set: no flags). */
const flagSets = process.env.BENCH_MEMORY_FLAGS?.split(';').map((set) => set.split(' ').filter(Boolean)) ?? [
  apiNodeFlags,
  ['--max-semi-space-size=32', '--max-old-space-size=128'],
  ['--max-semi-space-size=32', '--max-old-space-size=512'],
  [],
];
const onlyLoads = process.env.BENCH_MEMORY_LOADS?.split(',').filter(Boolean);

/** A collection Bundle of the practice export's resources repeated (each with its own id) until it is just under `bytes`. */
export function maxSizeBundleOf(bytes: number): Kind['body'] {
  const sample = JSON.parse(practiceBundle('sample', 0)) as { entry: { resource: { id: string } }[] };
  const records = sample.entry.slice(1).map((entry) => entry.resource);
  const padding: string[] = [];
  let size = Buffer.byteLength(practiceBundle('BENCH-0000000000-000000', 0)) + 2;
  for (let copy = 0; ; copy++) {
    const entry = JSON.stringify(records[copy % records.length]).replace(/"id":"([^"]+)"/, `"id":"$1-${copy}"`);
    const entryBytes = Buffer.byteLength(entry) + '{"resource":},'.length;
    if (size + entryBytes > bytes) break;
    padding.push(entry);
    size += entryBytes;
  }
  const extra = `,${padding.map((entry) => `{"resource":${entry}}`).join(',')}]}`;
  return (id, index) => practiceBundle(id, index).replace(/\]\}$/, extra);
}

interface Outcome {
  requests: number;
  p99: number;
  cpuMsPerRequest: number;
  rssMaxMb: number;
  liveHeapMaxMb: number;
  note?: string;
  /** How the process ended under the load, when it did. */
  died?: string;
  loadAverage: string;
}

const liveAfterFullGc = /Mark-Compact.*?-> ([\d.]+) \(/g;

/**
 * A fresh API process with `flags` (and --trace-gc, read for the heap live after each full
 * collection) under `load` for `seconds`; the load ends early if the process dies.
 */
async function underLoad(h: Harness, port: number, labId: string, flags: string[], load: (api: ApiProcess) => Promise<{ requests: number; p99: number; note?: string }>): Promise<Outcome> {
  let output = '';
  let liveHeapMaxMb = 0;
  const api = await startApi(h, port, labId, {
    built: true,
    nodeArgs: [...flags, '--trace-gc'],
    onOutput: (text) => {
      for (const [, live] of text.matchAll(liveAfterFullGc)) liveHeapMaxMb = Math.max(liveHeapMaxMb, Number(live));
      // Only the tail matters: the fatal error is printed last.
      output = (output + text).slice(-20_000);
    },
  });
  const pid = api.child.pid!;
  let rssMax = rssOf(pid);
  const sampling = setInterval(() => {
    if (api.child.exitCode === null && api.child.signalCode === null) rssMax = Math.max(rssMax, rssOf(pid));
  }, 100);
  const cpuBefore = cpuSecondsOf(pid);
  let cpuAfter = cpuBefore;
  const loadStarted = performance.now();
  const exited = new Promise<'exited'>((resolve) => api.child.once('exit', () => resolve('exited')));
  try {
    // A dying process resets its connections just before it is seen to exit.
    const result = await Promise.race([load(api), exited]).catch(async (error: unknown): Promise<'exited'> => {
      const gone = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000, 'running'))]);
      if (gone === 'exited') return 'exited';
      throw error;
    });
    if (result === 'exited') {
      const heap = /heap out of memory/i.test(output) ? ', "JavaScript heap out of memory"' : '';
      return { requests: 0, p99: NaN, cpuMsPerRequest: NaN, rssMaxMb: rssMax / 1024, liveHeapMaxMb, died: `died after ${((performance.now() - loadStarted) / 1000).toFixed(0)} s: ${api.child.exitCode ?? api.child.signalCode}${heap}`, loadAverage: loadAverage() };
    }
    cpuAfter = cpuSecondsOf(pid);
    return { ...result, cpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / result.requests, rssMaxMb: rssMax / 1024, liveHeapMaxMb, loadAverage: loadAverage() };
  } finally {
    clearInterval(sampling);
    if (api.child.exitCode === null && api.child.signalCode === null) await stopApi(api);
  }
}

const loadAverage = () => loadavg().map((each) => each.toFixed(2)).join(' ');

export async function apiMemoryBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '10' }, template);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const labId = world.claims[Role.LAB].organizationId!;
    const orgs = { programId: world.iopId, practiceId: world.claims[Role.PCP].organizationId!, labId, pharmacyId: world.claims[Role.PHARMACIST].organizationId!, clinicianId: clinician.userId };
    await generateReadPathPatients(h.config.DATABASE_URL, orgs, 1, 10_000, 'Memoryville');
    const [bigPatientId] = await sampleReadPathPatients(h.orm.em.fork(), 'Memoryville', 1);
    const tokens = { clinician: await h.token(clinician, '1h'), lab: await h.token(world.claims[Role.LAB], '1h'), practice: await h.token(world.claims[Role.PCP], '1h') };
    const bodyLimit = loadConfig({}).BODY_LIMIT_BYTES;
    const bundle: Kind = {
      label: 'FHIR Bundle near the body limit',
      role: Role.PCP,
      body: maxSizeBundleOf(bodyLimit - 16 * 1024),
      // 503 is the hub's "send it again" when it cannot store the Bundle in time (the database pool is busy): a burst's answer, not a failure.
      deliver: overHttp('/ingest/fhir', 'application/fhir+json', (sent) => {
        if (sent.status === 503) busyAnswers++;
        return sent.status === 202 || sent.status === 503;
      }),
    };
    let busyAnswers = 0;
    const bundleBytes = Buffer.byteLength(bundle.body('BENCH-0000000000-000000', 0));
    const viewQuery = PatientViewDocument.toString();
    const loads = {
      fhir: {
        label: `(a) 64 senders, FHIR Bundles of ${(bundleBytes / 1024).toFixed(0)} KB`,
        run: async (api: ApiProcess) => {
          busyAnswers = 0;
          const run = await send([api], bundle, tokens.practice, seconds);
          return { requests: Math.round(run.stats.perSecond * seconds), p99: run.stats.p99, note: `${busyAnswers} answered 503 (send again)` };
        },
      },
      view: {
        label: '(b) 50 concurrent views, patient of 10,000 records',
        run: async (api: ApiProcess) => {
          const server = { label: 'CareBridge', port: api.port, pid: api.child.pid!, stop: () => stopApi(api) };
          const body = JSON.stringify({ query: viewQuery, variables: { id: bigPatientId } });
          const measured = await drive(h, { label: 'view', server, path: '/graphql', token: tokens.clinician, body: () => body }, [bigPatientId], seconds);
          return { requests: Math.round(measured.stats.perSecond * seconds), p99: measured.stats.p99 };
        },
      },
      mllp: {
        label: '(c) HL7 over MLLP, 64 connections, full speed',
        run: async (api: ApiProcess) => {
          const run = await send([api], hl7OverMllp, tokens.lab, seconds);
          return { requests: Math.round(run.stats.perSecond * seconds), p99: run.stats.p99 };
        },
      },
    };
    const measuredLoads = Object.entries(loads).filter(([name]) => !onlyLoads || onlyLoads.includes(name));

    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    let port = 22000 + (process.pid % 20000);
    console.log(`\nAPI memory under bursts (issue 12): the build, a fresh process per flags and load, ${seconds} s each, NODE_ENV=production, --trace-gc added to read the live heap`);
    console.log(`${'flags'.padEnd(52)} ${'load'.padEnd(52)} ${'outcome'.padEnd(52)} ${'RSS max'.padStart(8)} ${'live heap max'.padStart(14)} ${'req'.padStart(7)} ${'p99'.padStart(10)} ${'CPU/req'.padStart(10)}   load avg`);
    for (const flags of flagSets) {
      for (const [, load] of measuredLoads) {
        const outcome = await underLoad(h, port, labId, flags, load.run);
        port += 1;
        const label = flags.length ? flags.join(' ') : 'no V8 flags';
        console.log(
          `${label.padEnd(52)} ${load.label.padEnd(52)} ${(outcome.died ?? 'survived').padEnd(52)} ` +
            `${outcome.rssMaxMb.toFixed(0).padStart(5)} MB ${outcome.liveHeapMaxMb.toFixed(0).padStart(11)} MB ${String(outcome.requests).padStart(7)} ` +
            `${outcome.p99.toFixed(0).padStart(7)} ms ${outcome.cpuMsPerRequest.toFixed(2).padStart(7)} ms   ${outcome.loadAverage}${outcome.note ? `   ${outcome.note}` : ''}`,
        );
      }
    }
  } finally {
    closeSenderConnections();
    await h.close();
  }
}
