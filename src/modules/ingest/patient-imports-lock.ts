import type { EntityManager } from '@mikro-orm/postgresql';
import { runPrepared } from '../../db/prepared';
import { RetryLaterError } from '../../jobs/retry-later';

export const patientImportsKey = (patientId: string) => `ingest:patient:${patientId}`;

/**
 * Makes the imports of one patient's messages (any format) wait for each other, until the end of
 * the calling transaction, while other patients' imports go on: which version of a record is
 * current is decided from the versions committed before, never from two imports that cannot see
 * each other.
 */
export async function lockPatientImports(em: EntityManager, patientId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [patientImportsKey(patientId)]);
}

/**
 * `lockPatientImports` for many patients at once, without waiting (one statement): the patients
 * whose imports this transaction now holds. The others' imports are running elsewhere.
 */
export async function tryLockPatientImports(em: EntityManager, patientIds: string[]): Promise<Set<string>> {
  if (patientIds.length === 0) return new Set();
  const rows = await runPrepared<{ id: string; locked: boolean }>(
    em,
    'select id, pg_try_advisory_xact_lock(hashtext($1 || id)) as locked from unnest($2::text[]) as id',
    [patientImportsKey(''), patientIds],
  );
  return new Set(rows.filter((row) => row.locked).map((row) => row.id));
}

/**
 * The patients' imports for a batch: all of them, taken in one order (by lock key) and waited for
 * at most `waitMs` together. Another batch holding one of them usually commits within
 * milliseconds; waiting for it costs less than leaving the message for later, which reads, parses
 * and matches it again. Taken in one order, the locks of two batches (in two worker processes, or
 * one) never wait for each other in a circle: a batch holding a patient never waits for a batch
 * waiting for that patient. When the wait runs out (a long import of one of them), it is given up
 * in a savepoint, and the batch takes those free at once (`tryLockPatientImports`); the other
 * patients' messages are left for later.
 */
export async function lockPatientImportsOfBatch(em: EntityManager, patientIds: string[], waitMs = patientWaitMs): Promise<Set<string>> {
  if (patientIds.length === 0) return new Set();
  try {
    await em.execute(
      [
        'savepoint patient_imports_wait',
        ...withinLockTimeout('select count(pg_advisory_xact_lock(key)) from (select distinct hashtext(? || id) as key from unnest(array[?]::text[]) as id order by key) as keys'),
        'release savepoint patient_imports_wait',
      ].join('; '),
      [`${waitMs}ms`, patientImportsKey(''), patientIds],
    );
  } catch (error) {
    // 55P03 lock_not_available: the wait timed out; 40P01 deadlock_detected (with an import of one patient holding other locks).
    const code = (error as { code?: unknown }).code;
    if (code !== '55P03' && code !== '40P01') throw error;
    await em.execute('rollback to savepoint patient_imports_wait');
    return tryLockPatientImports(em, patientIds);
  }
  return new Set(patientIds);
}

/**
 * A lock statement run with the transaction's lock timeout shortened to the first parameter (e.g.
 * '500ms') and then put back, in one round trip: the timeout is kept aside in a setting first.
 */
function withinLockTimeout(lockStatement: string): string[] {
  return [
    `select set_config('carebridge.lock_timeout_before_wait', current_setting('lock_timeout'), true)`,
    `select set_config('lock_timeout', ?, true)`,
    lockStatement,
    `select set_config('lock_timeout', current_setting('carebridge.lock_timeout_before_wait'), true)`,
  ];
}

/** How long the queue's import waits for the same patient's other imports before giving its worker slot up. */
const patientWaitMs = 500;


/**
 * `lockPatientImports`, waiting at most `waitMs`: most imports of a patient take milliseconds, but
 * a burst of one patient's messages must not hold every worker and connection while it drains.
 * Past that, the job is retried later (the transaction rolls back, nothing is written). One round
 * trip: the transaction's lock timeout is kept aside, shortened for the wait, and put back.
 */
export async function lockPatientImportsWithin(em: EntityManager, patientId: string, waitMs = patientWaitMs): Promise<void> {
  try {
    await em.execute(withinLockTimeout('select pg_advisory_xact_lock(hashtext(?))').join('; '), [`${waitMs}ms`, patientImportsKey(patientId)]);
  } catch (error) {
    // 55P03 lock_not_available: the wait timed out.
    if ((error as { code?: unknown }).code === '55P03') throw new RetryLaterError('Another import of the same patient is running');
    throw error;
  }
}
