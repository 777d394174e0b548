import { runPrepared } from '../src/db/prepared';
import { startHarness, type Harness } from './helpers/harness';

/** The read path's long statements are prepared once per connection (issue 12), and logged like any other. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('runs a read as a named statement Postgres keeps prepared on the connection, with its parameters, and logs it', async () => {
  const text = 'select name, $1::int + 1 as next from pg_prepared_statements';
  h.sqlStatements.length = 0;
  for (let run = 1; run <= 3; run++) {
    const rows = await runPrepared<{ name: string; next: number }>(h.orm.em.fork(), text, [run]);
    // The statement is prepared before it runs, so it lists itself, named after its text.
    expect(rows.map((row) => row.name)).toContainEqual(expect.stringMatching(/^stmt_[0-9a-f]{24}$/));
    expect(rows[0].next).toBe(run + 1);
  }
  expect(h.sqlStatements.filter((statement) => statement.startsWith(text))).toHaveLength(3);
});

it('keeps statements of different texts apart on the same connections', async () => {
  // Two texts under one name would make Postgres (or pg) refuse the second on a connection that has the first.
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      runPrepared<{ value: number }>(h.orm.em.fork(), index % 2 === 0 ? 'select $1::int * 2 as value' : 'select $1::int * 3 as value', [index]),
    ),
  );
  expect(results.map(([row]) => row.value)).toEqual(Array.from({ length: 20 }, (_, index) => index * (index % 2 === 0 ? 2 : 3)));
});

it("runs inside a transaction on the transaction's own connection, seeing what it wrote before it commits", async () => {
  const seen = await h.orm.em.fork().transactional(async (tx) => {
    await tx.execute("select set_config('carebridge.prepared_test', 'in this transaction', true)");
    return runPrepared<{ value: string }>(tx, "select current_setting('carebridge.prepared_test', true) as value", []);
  });
  expect(seen).toEqual([{ value: 'in this transaction' }]);
});

it("fails as the ORM's statements fail: with its exception type and the driver's code", async () => {
  await expect(
    h.orm.em.fork().transactional((tx) => runPrepared(tx, 'insert into patient_identifier (id, created_at, patient_id, organization_id, system, value) values (gen_random_uuid(), now(), gen_random_uuid(), gen_random_uuid(), $1, $2)', ['X', '1'])),
  ).rejects.toMatchObject({ name: 'ForeignKeyConstraintViolationException', code: '23503' });
});
