import { preparedRead } from '../src/db/prepared';
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
    const rows = await preparedRead<{ name: string; next: number }>(h.orm.em.fork(), text, [run]);
    // The statement is prepared before it runs, so it lists itself, named after its text.
    expect(rows.map((row) => row.name)).toContainEqual(expect.stringMatching(/^read_[0-9a-f]{24}$/));
    expect(rows[0].next).toBe(run + 1);
  }
  expect(h.sqlStatements.filter((statement) => statement.startsWith(text))).toHaveLength(3);
});

it('keeps statements of different texts apart on the same connections', async () => {
  // Two texts under one name would make Postgres (or pg) refuse the second on a connection that has the first.
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      preparedRead<{ value: number }>(h.orm.em.fork(), index % 2 === 0 ? 'select $1::int * 2 as value' : 'select $1::int * 3 as value', [index]),
    ),
  );
  expect(results.map(([row]) => row.value)).toEqual(Array.from({ length: 20 }, (_, index) => index * (index % 2 === 0 ? 2 : 3)));
});

it('refuses to run inside a transaction, whose statements belong to its own connection', async () => {
  await expect(h.orm.em.fork().transactional((tx) => preparedRead(tx, 'select 1', []))).rejects.toThrow('preparedRead runs outside transactions');
});
