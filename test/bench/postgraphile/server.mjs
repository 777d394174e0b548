// PostGraphile v4 as a buyer would run it in production: no GraphiQL, no watch mode, no query
// log, a pool of the same size as CareBridge's. PORT and DATABASE_URL come from the bench.
import { createServer } from 'node:http';
import process from 'node:process';
import pg from 'pg';
import { postgraphile } from 'postgraphile';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const middleware = postgraphile(pool, 'public', {
  graphiql: false,
  watchPg: false,
  disableQueryLog: true,
  retryOnInitFail: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  disableDefaultMutations: true,
  extendedErrors: [],
  showErrorStack: false,
  enableQueryBatching: false,
});
const server = createServer(middleware).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
