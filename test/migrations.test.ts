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
