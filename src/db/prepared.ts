import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { PoolClient, QueryResultRow } from 'pg';

/** Where a pg client comes from: knex's pool (which the ORM keeps), or a transaction's own connection. */
interface Clients {
  acquireConnection(): Promise<PoolClient>;
  releaseConnection(client: PoolClient): Promise<void>;
}

const names = new Map<string, string>();

/** `sql` written with `?` parameters, numbered `$first`, `$first + 1`… in order (its text has no other `?`). */
export function numberParameters(sql: string, first = 1): string {
  let next = first;
  return sql.replace(/\?/g, () => `$${next++}`);
}

/** A statement's name, from its text: the same text is the same prepared statement on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `stmt_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a statement as a named (prepared) statement: each connection is sent the text and Postgres
 * parses and plans it once, then only the name and the parameters travel, as they are (no
 * quoting into the text). For hot statements whose text would otherwise cost more to build, send
 * and parse than to run. `text` uses `$1`…; an array goes as one parameter (`= any($1::uuid[])`),
 * JSON as its text (`$1::json`). In a transaction (of `em`) it runs on the transaction's
 * connection, else on one from the pool. The ORM's query log records it, and its errors are the
 * ORM's, like any statement's.
 */
export async function runPrepared<Row extends QueryResultRow>(em: EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  const transaction = em.getTransactionContext<Knex.Transaction>();
  // A transaction's client hands out its own connection, and releasing it does nothing.
  const clients = (transaction ?? em.getConnection().getKnex()).client as Clients;
  const logger = em.config.getLogger();
  const started = Date.now();
  const client = await clients.acquireConnection();
  try {
    const { rows } = await client.query<Row>({ name: nameOf(text), text, values });
    logger.logQuery({ query: text, took: Date.now() - started, results: rows.length, level: 'info' });
    return rows;
  } catch (error) {
    logger.logQuery({ query: text, took: Date.now() - started, level: 'error' });
    // As the ORM's own statements fail: its exception types (a constraint, a lock timeout), with the driver's code.
    throw em.getDriver().convertException(error as Error);
  } finally {
    await clients.releaseConnection(client);
  }
}
