import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Batcher, togetherOrAlone } from '../../db/batcher';
import { AuditEvent } from './audit-event.entity';

/** The fields of an audit row a request's ledger hands in; the database numbers and times it. */
const auditFields = ['userId', 'role', 'organizationId', 'patientId', 'categories', 'purpose', 'consentId', 'breakGlassId', 'operation', 'requestId'] as const;

/** One audit row as a request's ledger hands it in. */
export type AuditRow = Pick<AuditEvent, (typeof auditFields)[number]>;

/**
 * One plain insert of many rows, the rows as one JSON parameter read with the table's own column
 * types (`json_populate_recordset`): no entities, no unit of work, the same text for every batch.
 */
export function auditInsert(em: EntityManager): (rows: AuditRow[]) => Promise<void> {
  const meta = em.getMetadata().get(AuditEvent.name);
  const platform = em.getPlatform();
  const columnOf = Object.fromEntries(auditFields.map((field) => [field, meta.properties[field].fieldNames[0]]));
  const columns = auditFields.map((field) => platform.quoteIdentifier(columnOf[field])).join(', ');
  const table = platform.quoteIdentifier(meta.tableName);
  const sql = `insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, ?::json)`;
  return async (rows) => {
    const byColumn = rows.map((row) => Object.fromEntries(auditFields.map((field) => [columnOf[field], row[field]])));
    await em.getConnection().execute(sql, [JSON.stringify(byColumn)], 'run');
  };
}

/**
 * Writes the audit rows of concurrent requests together, one insert a batch (group commit), each
 * request waiting until its own rows are committed; a batch the database refuses is written again
 * request by request, so one request's bad rows fail only that request.
 */
export class AuditWriter {
  private readonly batcher: Batcher<AuditRow[], void>;

  constructor(orm: MikroORM) {
    const insert = auditInsert(orm.em);
    this.batcher = new Batcher(
      (requests) =>
        togetherOrAlone(
          requests,
          async (all) => {
            await insert(all.flat());
            return all.map(() => undefined);
          },
          insert,
        ),
      { maxBatch: 64, maxRunning: 2 },
    );
  }

  /** Resolves once the rows are committed; rejects when they cannot be. */
  write(rows: AuditRow[]): Promise<void> {
    return this.batcher.add(rows);
  }
}
