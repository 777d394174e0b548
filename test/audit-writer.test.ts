import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { type AuditRow, AuditWriter } from '../src/modules/audit/audit-writer';
import { DataCategory, Purpose } from '../src/modules/consent/data-category';
import { PatientDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/** Audit rows of concurrent requests are written together, each request waiting for its own. */
let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

const rowFor = (requestId: string, overrides: Partial<AuditRow> = {}): AuditRow => ({
  userId: world.claims[Role.IOP_CLINICIAN].userId,
  role: Role.IOP_CLINICIAN,
  organizationId: world.iopId,
  patientId: world.patients[0].id,
  categories: [DataCategory.DEMOGRAPHICS],
  purpose: Purpose.TREATMENT,
  consentId: null,
  breakGlassId: null,
  operation: 'query Bench',
  requestId,
  ...overrides,
});
const auditInserts = () => h.sqlStatements.filter((statement) => statement.startsWith('insert into "audit_event"')).length;
const rowsOf = (requestIds: string[]) => h.orm.em.fork().count(AuditEvent, { requestId: { $in: requestIds } });

it('writes the rows of concurrent requests in fewer inserts than requests, each resolved once its rows are committed', async () => {
  const writer = new AuditWriter(h.orm);
  const requestIds = Array.from({ length: 40 }, (_, index) => `together-${index}`);
  h.sqlStatements.length = 0;
  await Promise.all(
    requestIds.map(async (requestId) => {
      await writer.write([rowFor(requestId), rowFor(requestId, { categories: [DataCategory.LABS] })]);
      expect(await rowsOf([requestId])).toBe(2);
    }),
  );
  expect(await rowsOf(requestIds)).toBe(80);
  expect(auditInserts()).toBeLessThan(requestIds.length / 4);
});

it("fails only the request whose rows the database refuses; the others' rows are written", async () => {
  const writer = new AuditWriter(h.orm);
  const good = ['alone-1', 'alone-2', 'alone-3'];
  const results = await Promise.allSettled([
    writer.write([rowFor(good[0])]),
    writer.write([rowFor('refused', { patientId: 'not-a-patient-id' })]),
    writer.write([rowFor(good[1])]),
    writer.write([rowFor(good[2])]),
  ]);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect(await rowsOf(good)).toBe(3);
  expect(await rowsOf(['refused'])).toBe(0);
});

it('is what the API writes its audit rows with: concurrent reads share inserts and each is audited', async () => {
  const token = await h.token(world.claims[Role.IOP_CLINICIAN]);
  h.sqlStatements.length = 0;
  const responses = await Promise.all(Array.from({ length: 12 }, () => h.graphql(PatientDocument, { id: world.patients[0].id }, token)));
  expect(responses.every((response) => response.errors === undefined)).toBe(true);
  expect(auditInserts()).toBeLessThan(12);
});
