import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { RetryLaterError } from '../src/jobs/retry-later';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { IngestService } from '../src/modules/ingest/ingest.service';
import { lockPatientImports, lockPatientImportsWithin } from '../src/modules/ingest/patient-imports-lock';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/**
 * A message imported alone (a format that imports one at a time, a batch's fallback, a
 * reviewer's link) costs as few round trips as its rules allow: its import joins the caller's
 * transaction rather than a savepoint in it, its message row is written once, and waiting for
 * its patient's other imports is one statement.
 */
let h: Harness;
let world: World;
let labId: string;
const ingest = new IngestService();

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  labId = world.claims[Role.LAB].organizationId!;
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(world.patients[0], em.getReference(Organization, labId), 'TRIPS-1', 'REGLAB'));
  await em.flush();
  // The PCP knows Avery by a phone number the IOP also has: a certain demographic match.
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
});
afterAll(async () => {
  await h.close();
});

it('imports an HL7 message alone in one transaction, without a savepoint, writing its message row once', async () => {
  const patient = world.patients[0];
  const body = [
    'MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01^ORU_R01|TRIPS-1|P|2.5.1',
    `PID|1||TRIPS-1^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`,
    'OBR|1|TRIPS-ORDER|TRIPS-ORDER-F|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F',
    'OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F|||20261201070000',
  ].join('\r');
  const em = h.orm.em.fork();
  const message = new InboxMessage({
    source: InboxSource.HL7V2,
    sourceOrganizationId: labId,
    sourceMessageId: 'TRIPS-1',
    contentType: 'x-application/hl7-v2+er7',
    headers: {},
    raw: Buffer.from(body, 'latin1'),
    charset: 'utf-8',
  });
  await em.persist(message).flush();

  h.sqlStatements.length = 0;
  expect(await ingest.importMessage(h.orm.em.fork(), message.id)).toMatchObject({ status: 'PROCESSED', patientId: patient.id });
  const sent = [...h.sqlStatements];

  expect(sent.filter((statement) => /^(begin|start transaction)\b/i.test(statement))).toHaveLength(1);
  expect(sent.filter((statement) => /savepoint/i.test(statement))).toEqual([]);
  expect(sent.filter((statement) => /^update "inbox_message"/.test(statement))).toHaveLength(1);
  expect(sent.filter((statement) => /lock_timeout|pg_advisory_xact_lock/.test(statement))).toHaveLength(1);
  const stored = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id });
  expect(stored.state).toBe(InboxState.PROCESSED);
  expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: message.id })).toBe(1);
});

it('imports a FHIR Bundle reading the current versions of the resources it names, imported or not, in one statement', async () => {
  const em = h.orm.em.fork();
  const message = new InboxMessage({
    source: InboxSource.FHIR,
    sourceOrganizationId: world.claims[Role.PCP].organizationId!,
    sourceMessageId: 'maple-export-0001',
    contentType: 'application/fhir+json',
    headers: {},
    // Two of its entries are of kinds not imported: a record of theirs imported before would be withdrawn.
    raw: readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json')),
    charset: 'utf-8',
  });
  await em.persist(message).flush();

  h.sqlStatements.length = 0;
  expect(await ingest.importMessage(h.orm.em.fork(), message.id)).toMatchObject({ status: 'PROCESSED', patientId: world.patients[0].id });
  const sent = [...h.sqlStatements];

  expect(sent.filter((statement) => /^select .* from "clinical_record"/.test(statement))).toHaveLength(1);
  expect(sent.filter((statement) => /savepoint/i.test(statement))).toEqual([]);
  expect(sent.filter((statement) => /^update "inbox_message"/.test(statement))).toHaveLength(1);
  expect((await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id })).state).toBe(InboxState.PROCESSED);
});

it("gives a patient's import up after its wait, and puts the transaction's lock timeout back when it gets the lock", async () => {
  const patientId = world.patients[1].id;
  const holder = await h.orm.em.fork().getConnection().getKnex().transaction();
  try {
    await holder.raw('select pg_advisory_xact_lock(hashtext(?))', [`ingest:patient:${patientId}`]);
    const waited = h.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`select set_config('lock_timeout', '7s', true)`);
      await lockPatientImportsWithin(tx, patientId, 100);
    });
    await expect(waited).rejects.toBeInstanceOf(RetryLaterError);
  } finally {
    await holder.rollback();
  }

  const timeoutAfter = await h.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select set_config('lock_timeout', '7s', true)`);
    await lockPatientImportsWithin(tx, patientId, 100);
    // Held now: the same patient's lock again is this transaction's own, at once.
    await lockPatientImports(tx, patientId);
    const [{ timeout }] = await tx.execute<{ timeout: string }[]>(`select current_setting('lock_timeout') as timeout`);
    return timeout;
  });
  expect(timeoutAfter).toBe('7s');
});
