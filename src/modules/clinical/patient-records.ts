import type DataLoader from 'dataloader';
import type { ClassType } from 'type-graphql';
import type { AccessPolicy } from '../access/access-policy';
import type { ClinicalRecord } from './clinical-record.entity';
import { categoryOf } from './record-kinds';

/** What reading a patient's records takes: the request's policy and its batched records loader. */
export interface RecordReading {
  access: AccessPolicy;
  loaders: { clinicalRecordsByPatient: DataLoader<string, ClinicalRecord[]> };
}

/**
 * A patient's records of one kind that this user may see (`AccessPolicy.discloseRecords`), under
 * the kind's category. All kinds load in one statement per request, batched across patients.
 */
export async function disclosedRecords<T extends ClinicalRecord>(
  ctx: RecordReading,
  patientId: string,
  type: ClassType<T>,
  /** Picks the records wanted (say, the current plan); see `AccessPolicy.discloseRecords`. */
  select: (records: T[]) => T[] = (records) => records,
  /** Also the versions a later one replaced (an update from the source, a correction). */
  includeSuperseded = false,
): Promise<T[]> {
  return ctx.access.discloseRecords(patientId, categoryOf(type), await recordsOfKind(ctx, patientId, type, includeSuperseded), select);
}

function recordsOfKind<T extends ClinicalRecord>(ctx: RecordReading, patientId: string, type: ClassType<T>, includeSuperseded: boolean): Promise<T[]> {
  return ctx.loaders.clinicalRecordsByPatient
    .load(patientId)
    .then((records) => records.filter((record): record is T => record instanceof type && (includeSuperseded || record.isCurrent)));
}

/**
 * Like `disclosedRecords`, for a response that gathers several categories (an export): a category
 * the user may not see is left out and reported without a count, instead of refusing the whole.
 */
export async function disclosedRecordsIfAllowed<T extends ClinicalRecord>(
  ctx: RecordReading,
  patientId: string,
  type: ClassType<T>,
  select?: (records: T[]) => T[],
): Promise<T[]> {
  return ctx.access.discloseRecords(patientId, categoryOf(type), await recordsOfKind(ctx, patientId, type, false), select, 'LEAVE_OUT');
}
