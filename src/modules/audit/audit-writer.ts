import type { MikroORM } from '@mikro-orm/postgresql';
import { Batcher, togetherOrAlone } from '../../db/batcher';
import { AuditEvent } from './audit-event.entity';

/** One audit row as a request's ledger hands it in. */
export type AuditRow = Pick<
  AuditEvent,
  'userId' | 'role' | 'organizationId' | 'patientId' | 'categories' | 'purpose' | 'consentId' | 'breakGlassId' | 'operation' | 'requestId'
>;

/**
 * Writes the audit rows of concurrent requests together, one insert a batch (group commit), each
 * request waiting until its own rows are committed; a batch the database refuses is written again
 * request by request, so one request's bad rows fail only that request.
 */
export class AuditWriter {
  private readonly batcher: Batcher<AuditRow[], void>;

  constructor(orm: MikroORM) {
    const insert = async (rows: AuditRow[]) => {
      await orm.em.fork().insertMany(AuditEvent, rows);
    };
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
