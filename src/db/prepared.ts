import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient, QueryResultRow } from 'pg';

/** What the ORM's pool hands out: a pg client (knex's pool, which the ORM keeps). */
interface PooledClients {
  acquireConnection(): Promise<PoolClient>;
  releaseConnection(client: PoolClient): Promise<void>;
}

const names = new Map<string, string>();

/** A statement's name, from its text: the same text is the same prepared statement on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `read_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a read on the ORM's pool as a named (prepared) statement: each connection is sent the
 * text and Postgres parses and plans it once, then only the name and the parameters travel. For
 * the hot read path's long statements, whose text would otherwise cost more to send and parse
 * than to run. `text` uses `$1`…; an array goes as one parameter (`= any($1::uuid[])`). The
 * ORM's query log records it like any statement. Outside transactions only: a transaction's
 * statements must run on its own connection.
 */
export async function preparedRead<Row extends QueryResultRow>(em: EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  if (em.isInTransaction()) throw new Error('preparedRead runs outside transactions');
  const pool = em.getConnection().getKnex().client as PooledClients;
  const logger = em.config.getLogger();
  const started = Date.now();
  const client = await pool.acquireConnection();
  try {
    const { rows } = await client.query<Row>({ name: nameOf(text), text, values });
    logger.logQuery({ query: text, took: Date.now() - started, results: rows.length, level: 'info' });
    return rows;
  } catch (error) {
    logger.logQuery({ query: text, took: Date.now() - started, level: 'error' });
    throw error;
  } finally {
    await pool.releaseConnection(client);
  }
}
