/**
 * Preloaded (`-r`) into a benchmarked worker process: counts the SQL statements it sends (every
 * `pg` query, the transaction's BEGIN and COMMIT included) and answers the parent's IPC request
 * with them and the process's CPU time so far. Measurement only; the worker itself is unchanged.
 */
import { Client } from 'pg';

let statements = 0;
/** Batches whose wait for patients' imports held by other transactions ran out (their messages partly left for later). */
let patientWaitsGivenUp = 0;
const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const query = prototype.query;
prototype.query = function counted(this: Client, ...args: unknown[]) {
  statements++;
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
  if (typeof text === 'string' && text.startsWith('rollback to savepoint patient_imports_wait')) patientWaitsGivenUp++;
  return query.apply(this, args);
};

export interface ProbeReading {
  cpuMs: number;
  statements: number;
  patientWaitsGivenUp: number;
}

process.on('message', (request) => {
  if (request !== 'probe') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMs: (user + system) / 1000, statements, patientWaitsGivenUp } satisfies ProbeReading);
});
