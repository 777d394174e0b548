import { startHarness, type Harness } from './helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('the checked-in migrations produce exactly the schema the entities describe', async () => {
  const migrator = h.orm.getMigrator();
  expect(await migrator.getPendingMigrations()).toEqual([]);
  expect(await migrator.checkMigrationNeeded()).toBe(false);
});

it("names as the registering program of each known patient the program of their first enrolment", async () => {
  const migration = 'Migration20261201171500_patient_registered_by';
  const migrator = h.orm.getMigrator();
  const sql = h.orm.em.getConnection();
  await migrator.down({ migrations: [migration] });
  const [first, second, patient, unenrolled] = ['10', '20', '30', '40'].map((n) => `00000000-0000-4000-8000-0000000000${n}`);
  await sql.execute(`insert into organization (id, name, kind) values ('${first}', 'First IOP', 'IOP'), ('${second}', 'Second IOP', 'IOP')`);
  await sql.execute(
    `insert into patient (id, given_name, family_name, birth_date) values ('${patient}', 'Early', 'Patient', '1980-01-01'), ('${unenrolled}', 'Never', 'Enrolled', '1980-01-01')`,
  );
  await sql.execute(
    `insert into enrollment (id, patient_id, program_id, status, started_at) values
      (gen_random_uuid(), '${patient}', '${second}', 'ACTIVE', '2024-02-01'), (gen_random_uuid(), '${patient}', '${first}', 'DISCHARGED', '2023-01-01')`,
  );
  await migrator.up({ migrations: [migration] });
  const rows = await sql.execute<{ id: string; registered_by_id: string | null }[]>(`select id, registered_by_id from patient where id in ('${patient}', '${unenrolled}') order by id`);
  expect(rows).toEqual([{ id: patient, registered_by_id: first }, { id: unenrolled, registered_by_id: null }]);
});
