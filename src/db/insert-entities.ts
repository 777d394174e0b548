import { ReferenceKind, wrap, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { numberParameters, runPrepared } from './prepared';

/** A column of an entity's table and how to read its value from a new entity. */
interface Column {
  name: string;
  valueOf(entity: object): unknown;
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** A scalar as `json_populate_recordset` reads it: times as ISO text, bytes as bytea's hex text; JSON and arrays as they are. */
function jsonValueOf(value: unknown): unknown {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return value;
}

const columnsOf = new WeakMap<EntityMetadata, { table: string; columns: Column[] }>();

/**
 * The columns MikroORM would write for a new entity of `meta`: its own and inherited properties
 * (the discriminator is one of them), a many-to-one as its key; not a database-generated key.
 */
function tableOf(meta: EntityMetadata): { table: string; columns: Column[] } {
  let table = columnsOf.get(meta);
  if (table) return table;
  const stored = (prop: EntityProperty) =>
    prop.persist !== false && !prop.formula && !(prop.primary && prop.autoincrement) && (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE);
  const columns = Object.values(meta.properties as Record<string, EntityProperty>)
    .filter(stored)
    .map((prop): Column => {
      if (prop.fieldNames.length !== 1) throw new Error(`insertEntities: ${meta.className}.${prop.name} has ${prop.fieldNames.length} columns`);
      const key = prop.name as keyof object;
      return {
        name: prop.fieldNames[0],
        valueOf:
          prop.kind === ReferenceKind.MANY_TO_ONE
            ? (entity) => (entity[key] ? wrap(entity[key] as object, true).getPrimaryKey() : null)
            : (entity) => jsonValueOf(entity[key]),
      };
    });
  table = { table: meta.root.tableName, columns };
  columnsOf.set(meta, table);
  return table;
}

/** A plain statement with its `?` parameters. */
export interface PlainStatement {
  sql: string;
  params: unknown[];
}

/**
 * Writes new entities (built by their constructors, never persisted) in one prepared statement
 * (`runPrepared`) of one part per entity class, in the transaction of `em`, without its unit of
 * work: the hot path of a batch import, where building change sets for hundreds of records costs
 * more than the statement. Each class's rows go as one JSON parameter, not quoted into the text,
 * so the text is the same from one batch to the next and Postgres plans it once per connection.
 * The entities stay the schema's source of truth (their metadata names the columns); they are not
 * managed afterwards, so a later change to them is not written. `before` are data-modifying
 * statements (no RETURNING) run to completion before any row is inserted, in the same statement
 * (e.g. superseding what the new records replace, which a unique index checks at once). Foreign
 * keys are checked at the end of the statement, so the classes may come in any order.
 */
export async function insertEntities(em: EntityManager, entities: object[], before: PlainStatement[] = []): Promise<void> {
  const byClass = new Map<EntityMetadata, object[]>();
  for (const entity of entities) {
    const meta = em.getMetadata().get(entity.constructor.name);
    const ofClass = byClass.get(meta);
    if (ofClass) ofClass.push(entity);
    else byClass.set(meta, [entity]);
  }
  if (byClass.size === 0 && before.length === 0) return;
  const values: unknown[] = [];
  /** `sql` with its `?` numbered after the values so far, and its parameters added to them. */
  const numbered = (sql: string, params: unknown[]) => {
    const text = numberParameters(sql, values.length + 1);
    values.push(...params);
    return text;
  };
  const parts = before.map((statement, index) => `before_${index} as (${numbered(statement.sql, statement.params)} returning 1)`);
  // Reading every `before` part's rows runs it to completion before the insert's first row.
  const afterBefore = before.length === 0 ? '' : ` where ${before.map((_, index) => `(select count(*) from before_${index}) >= 0`).join(' and ')}`;
  [...byClass].forEach(([meta, ofClass], index) => {
    const { table, columns } = tableOf(meta);
    // A column left out is null: the parameter is smaller for it.
    const rows = ofClass.map((entity) => {
      const row: Record<string, unknown> = {};
      for (const column of columns) {
        const value = column.valueOf(entity);
        if (value !== null) row[column.name] = value;
      }
      return row;
    });
    const names = columns.map((column) => quoted(column.name)).join(', ');
    const recordset = numbered(`json_populate_recordset(null::${quoted(table)}, ?::json)`, [JSON.stringify(rows)]);
    parts.push(`insert_${index} as (insert into ${quoted(table)} (${names}) select ${names} from ${recordset}${afterBefore})`);
  });
  await runPrepared(em, `with ${parts.join(', ')} select 1`, values);
}
