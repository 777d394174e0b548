import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { SetIdentifierSystemsDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle, sendHl7Message } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/** A program's own MRN, echoed back by a lab or a practice in the program's named system, links the message to its patient. */
let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  const em = h.orm.em.fork();
  // Both programs gave the number H-0042 to a patient of their own.
  em.persist(new PatientIdentifier(em.getReference(Patient, world.patients[1].id), em.getReference(Organization, world.iopId), 'H-0042'));
  em.persist(new PatientIdentifier(em.getReference(Patient, second.ownPatientId), em.getReference(Organization, second.iopId), 'H-0042'));
  await em.flush();
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

const setSystems = async (claims: World['claims'][Role], systems: string[]) =>
  h.graphql(SetIdentifierSystemsDocument, { input: { systems } }, await h.token(claims));

function hl7(controlId: string, pid3: string, birthDate: string) {
  // Name spelt differently and no phone or postal code: only the identifier can link it.
  return readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1')
    .replace('LAB-0001', controlId)
    .replace(/\rPID\|[^\r]*/, `\rPID|1||${pid3}||Smyth^Jo||${birthDate}`);
}

async function sendHl7(body: string) {
  const { ack, message } = await sendHl7Message(h, await h.token(world.claims[Role.LAB]), body);
  expect(ack).toBe('AA');
  return message!;
}

it('lets an admin name the systems of the organization\'s own identifiers; one system has one owner', async () => {
  const named = await setSystems(world.claims[Role.ADMIN], ['HARBOR-MRN', 'urn:oid:2.16.840.1.113883.3.7777.1']);
  expect(named.data?.setIdentifierSystems.organization.identifierSystems).toEqual(['HARBOR-MRN', 'urn:oid:2.16.840.1.113883.3.7777.1']);
  const stolen = await setSystems(second.admin, ['HARBOR-MRN']);
  expect(stolen.errors?.[0].extensions?.code).toBe('CONFLICT');
  expect((await setSystems(second.admin, ['SECOND-MRN'])).data?.setIdentifierSystems.organization.identifierSystems).toEqual(['SECOND-MRN']);
});

it("links a lab result carrying the program's MRN in its assigning authority to that program's patient, not to another program's patient with the same number", async () => {
  const birthDate = world.patients[1].birthDate.replace(/-/g, '');
  const message = await sendHl7(hl7('MRN-1', 'H-0042^^^HARBOR-MRN^MR', birthDate));
  expect(message.state).toBe(InboxState.PROCESSED);
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: message.id, patient: world.patients[1].id })).toBe(1);

  const secondPatient = await h.orm.em.fork().findOneOrFail(Patient, { id: second.ownPatientId });
  const other = await sendHl7(hl7('MRN-2', 'H-0042^^^SECOND-MRN^MR', secondPatient.birthDate.replace(/-/g, '')));
  expect(other.state).toBe(InboxState.PROCESSED);
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: other.id, patient: second.ownPatientId })).toBe(1);
});

it('does not trust the MRN when the birth date sent disagrees, nor a number in a system nobody named', async () => {
  expect((await sendHl7(hl7('MRN-3', 'H-0042^^^HARBOR-MRN^MR', '19010101'))).state).toBe(InboxState.HELD);
  const birthDate = world.patients[1].birthDate.replace(/-/g, '');
  expect((await sendHl7(hl7('MRN-4', 'H-0042^^^UNKNOWN-AUTHORITY^MR', birthDate))).state).toBe(InboxState.HELD);
});

it("links a FHIR Bundle whose Patient carries the program's MRN in the program's system", async () => {
  const patient = world.patients[1];
  const bundle = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8')) as {
    id: string;
    entry: { resource: Record<string, unknown> }[];
  };
  bundle.id = 'mrn-bundle-1';
  Object.assign(bundle.entry[0].resource, {
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.7777.1', value: 'H-0042' }],
    name: [{ family: 'Smyth', given: ['Jo'] }],
    birthDate: patient.birthDate,
  });
  delete bundle.entry[0].resource.telecom;
  delete bundle.entry[0].resource.address;
  const { message } = await sendFhirBundle(h, await h.token(world.claims[Role.PCP]), JSON.stringify(bundle));
  expect(message?.state).toBe(InboxState.PROCESSED);
});
