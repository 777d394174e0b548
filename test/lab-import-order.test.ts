import { Role } from '../src/auth/roles';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { lockPatientImports } from '../src/modules/ingest/patient-imports-lock';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import type { Patient } from '../src/modules/patients/patient.entity';
import { UnlinkInboundMessageDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * Versions of one result (HL7 v2.5.1 ch. 7: OBX-11 result status, table 0085; OBX-19 date/time
 * of the analysis; OBR-22 results report/status change time) imported by the real workers at a
 * concurrency of 8, in every arrival order.
 */
let h: Harness;
let world: World;
let lab: string;
let workers: { stop(): Promise<void> };

const labMrn = (patient: Patient) => `MRN-${patient.id.slice(0, 8)}`;

beforeAll(async () => {
  h = await startHarness({ WORKER_CONCURRENCY: '8', DATABASE_POOL_MAX: '12' });
  world = await seedWorld(h.orm.em.fork());
  lab = await h.token(world.claims[Role.LAB]);
  // The lab's own patient numbers, known from earlier messages: every message matches by PID-3.
  const em = h.orm.em.fork();
  const labOrganization = em.getReference(Organization, world.claims[Role.LAB].organizationId!);
  em.persist(world.patients.map((patient) => new PatientIdentifier(patient, labOrganization, labMrn(patient), 'REGLAB')));
  await em.flush();
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

interface Version {
  /** OBX-11 */
  status: 'P' | 'F' | 'C' | 'X' | 'D' | 'W';
  value: string;
  /** OBR-22, HL7 DTM */
  reportedAt?: string;
  /** OBX-19, HL7 DTM */
  analyzedAt?: string;
}

/** A segment from its fields by position (HL7 numbering: field 1 follows the segment name). */
function segment(name: string, fields: Record<number, string>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, index) => fields[index + 1] ?? '')].join('|');
}

/** OBR-25 (table 0123) that goes with each OBX-11: a deletion or a wrong result is a correction of the order. */
const orderStatus: Record<Version['status'], string> = { P: 'P', F: 'F', C: 'C', X: 'X', D: 'C', W: 'C' };

let controlIds = 0;

/** An ORU^R01 with one potassium result of `order` for `patient`; its MSH-10 is returned with it. */
function oru(patient: Patient, order: string, version: Version): { controlId: string; body: string } {
  const controlId = `ORD-TEST-${++controlIds}`;
  const body = [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    segment('PID', { 1: '1', 3: `${labMrn(patient)}^^^REGLAB^MR`, 5: `${patient.familyName}^${patient.givenName}`, 7: patient.birthDate.replace(/-/g, '') }),
    segment('OBR', { 1: '1', 2: order, 3: `${order}-F`, 4: '2823-3^Potassium^LN', 7: '20261201070000', 22: version.reportedAt ?? '', 25: orderStatus[version.status] }),
    segment('OBX', {
      1: '1',
      2: 'NM',
      3: '2823-3^Potassium [Moles/volume] in Serum or Plasma^LN',
      5: version.value,
      6: 'mmol/L',
      7: '3.5-5.1',
      11: version.status,
      14: '20261201070000',
      19: version.analyzedAt ?? '',
    }),
  ].join('\r');
  return { controlId, body };
}

async function send(body: string): Promise<void> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${lab}` },
    payload: body,
  });
  expect(response.body).toContain('MSA|AA|');
}

const countImported = (controlIds: string[]) =>
  h.orm.em.fork().count(InboxMessage, { source: InboxSource.HL7V2, sourceMessageId: { $in: controlIds }, state: { $ne: InboxState.RECEIVED } });

async function allImported(controlIds: string[], timeoutMs = 30_000): Promise<void> {
  const imported = await until(() => countImported(controlIds), (count) => count === controlIds.length, timeoutMs);
  expect(imported).toBe(controlIds.length);
}

/** Each order's versions: how many, and the MSH-10 of every one still current. */
async function versionsOf(orders: string[]): Promise<Map<string, { count: number; current: string[] }>> {
  // The lab's own order number (OBR-3, filler) identifies the result across versions.
  const results = await h.orm.em.fork().find(LabResult, { resultKey: { $in: orders.map((order) => `${order}-F|2823-3|`) } });
  const byOrder = new Map(orders.map((order) => [order, { count: 0, current: [] as string[] }]));
  for (const result of results) {
    const versions = byOrder.get(result.resultKey!.split('|')[0].replace(/-F$/, ''))!;
    versions.count++;
    if (result.isCurrent) versions.current.push(result.sourceRecordId!.split('/')[0]);
  }
  return byOrder;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

/** Versions of one result, and which of them must end up current (its index in `versions`). */
const scenarios: { name: string; versions: Version[]; current: number }[] = [
  { name: 'preliminary, final, corrected, no times', versions: [{ status: 'P', value: '3.9' }, { status: 'F', value: '4.0' }, { status: 'C', value: '4.2' }], current: 2 },
  {
    name: 'a preliminary reported after the final',
    versions: [{ status: 'F', value: '4.0', reportedAt: '20261201090000' }, { status: 'P', value: '3.9', reportedAt: '20261201100000' }],
    current: 0,
  },
  {
    name: 'two corrections, told apart by OBR-22',
    versions: [
      { status: 'C', value: '4.2', reportedAt: '20261201100000' },
      { status: 'C', value: '4.4', reportedAt: '20261201110000-0500' },
      { status: 'F', value: '4.0', reportedAt: '20261201123000' },
    ],
    current: 1,
  },
  {
    name: 'two corrections, told apart by OBX-19 when OBR-22 is the same',
    versions: [
      { status: 'C', value: '4.4', reportedAt: '20261201100000', analyzedAt: '20261201094500' },
      { status: 'C', value: '4.2', reportedAt: '20261201100000', analyzedAt: '20261201093000' },
    ],
    current: 0,
  },
  {
    name: 'a final result deleted (D) later',
    versions: [{ status: 'F', value: '4.0', reportedAt: '20261201090000' }, { status: 'D', value: '', reportedAt: '20261201100000' }],
    current: 1,
  },
  {
    name: 'a result posted as wrong (W), then corrected',
    versions: [
      { status: 'F', value: '4.0', reportedAt: '20261201090000' },
      { status: 'W', value: '', reportedAt: '20261201100000' },
      { status: 'C', value: '4.1', reportedAt: '20261201110000' },
    ],
    current: 2,
  },
];

it('keeps current the version the lab reported last, by OBX-11 then OBR-22 then OBX-19, whatever order they are imported in', async () => {
  // Every scenario in every arrival order; each import finishes before the next version is sent.
  const runs = scenarios.flatMap((scenario, scenarioIndex) =>
    permutations(scenario.versions.map((_, index) => index)).map((arrival, runIndex) => ({
      scenario,
      arrival,
      order: `SEQ-${scenarioIndex}-${runIndex}`,
      controlIds: [] as string[],
    })),
  );
  const steps = Math.max(...scenarios.map((scenario) => scenario.versions.length));
  for (let step = 0; step < steps; step++) {
    const sent = runs
      .filter((run) => step < run.arrival.length)
      .map((run) => {
        const message = oru(world.patients[0], run.order, run.scenario.versions[run.arrival[step]]);
        run.controlIds[run.arrival[step]] = message.controlId;
        return message;
      });
    for (const message of sent) await send(message.body);
    await allImported(sent.map((message) => message.controlId));
  }

  const versions = await versionsOf(runs.map((run) => run.order));
  const outcome = runs.map((run) => ({ scenario: run.scenario.name, arrival: run.arrival.join(','), current: versions.get(run.order)!.current, count: versions.get(run.order)!.count }));
  const expected = runs.map((run) => ({ scenario: run.scenario.name, arrival: run.arrival.join(','), current: [run.controlIds[run.scenario.current]], count: run.scenario.versions.length }));
  expect(outcome).toEqual(expected);
}, 120_000);

it('leaves exactly one current version when one patient\'s P, F and C are sent back to back and imported in parallel', async () => {
  const trials = 4;
  const orders: { order: string; correctedId: string; messages: { controlId: string; body: string }[] }[] = [];
  permutations(['P', 'F', 'C'] as const).forEach((arrival, permutation) => {
    for (let trial = 0; trial < trials; trial++) {
      const order = `BURST-${permutation}-${trial}`;
      const messages = arrival.map((status) => oru(world.patients[1], order, { status, value: { P: '5.9', F: '6.1', C: '6.3' }[status] }));
      orders.push({ order, correctedId: messages[arrival.indexOf('C')].controlId, messages });
    }
  });
  // One trial after the other, as a lab sends them: three messages back to back, then the next order.
  for (const { messages } of orders) {
    for (const message of messages) await send(message.body);
    await allImported(messages.map((message) => message.controlId));
  }

  const versions = await versionsOf(orders.map(({ order }) => order));
  expect(orders.map(({ order }) => ({ order, ...versions.get(order) }))).toEqual(orders.map(({ order, correctedId }) => ({ order, count: 3, current: [correctedId] })));
}, 120_000);

it('makes one patient\'s imports wait for each other without taking the workers from another patient\'s', async () => {
  const [busy, other] = world.patients;
  // More of the busy patient's messages than the workers run at once, all ahead of the other patient's.
  const waiting = Array.from({ length: h.config.WORKER_CONCURRENCY + 2 }, (_, index) => oru(busy, `LOCKED-${index}`, { status: 'F', value: '4.0' }));
  const free = oru(other, 'FREE-1', { status: 'F', value: '4.0' });
  await h.orm.em.fork().transactional(async (tx) => {
    // As if an import of the busy patient were running all along.
    await lockPatientImports(tx, busy.id);
    for (const message of waiting) await send(message.body);
    await send(free.body);
    await allImported([free.controlId], 10_000);
    expect(await countImported(waiting.map((message) => message.controlId))).toBe(0);
  });
  await allImported(waiting.map((message) => message.controlId), 20_000);
}, 40_000);

it('makes the latest remaining version current when a message that brought one is unlinked from the patient', async () => {
  const admin = await h.token(world.claims[Role.ADMIN]);
  const patient = world.patients[2];
  const preliminary: Version = { status: 'P', value: '3.9', reportedAt: '20261201080000' };
  const final: Version = { status: 'F', value: '4.0', reportedAt: '20261201090000' };
  const latePreliminary: Version = { status: 'P', value: '3.8', reportedAt: '20261201083000' };
  const corrected: Version = { status: 'C', value: '4.2', reportedAt: '20261201100000' };
  // The final result is unlinked: without a correction, the later preliminary is current again.
  const cases = [
    { order: 'UNLINK-1', versions: [preliminary, final, latePreliminary], current: 2 },
    { order: 'UNLINK-2', versions: [preliminary, final, latePreliminary, corrected], current: 3 },
  ].map((each) => ({ ...each, messages: each.versions.map((version) => oru(patient, each.order, version)) }));
  for (const { messages } of cases) {
    for (const message of messages) {
      await send(message.body);
      await allImported([message.controlId]);
    }
  }
  for (const { messages } of cases) {
    const [unlinked] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: messages[1].controlId });
    const response = await h.graphql(UnlinkInboundMessageDocument, { inboxMessageId: unlinked.id }, admin);
    expect(response.errors).toBeUndefined();
  }

  const versions = await versionsOf(cases.map(({ order }) => order));
  expect(cases.map(({ order }) => ({ order, ...versions.get(order) }))).toEqual(
    cases.map(({ order, versions: sent, messages, current }) => ({ order, count: sent.length - 1, current: [messages[current].controlId] })),
  );
});
