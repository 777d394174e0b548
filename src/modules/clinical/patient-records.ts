import type DataLoader from 'dataloader';
import type { ClassType } from 'type-graphql';
import type { AccessPolicy } from '../access/access-policy';
import { CarePlan, type CarePlanType } from './care-plan.entity';
import type { ClinicalRecord } from './clinical-record.entity';
import { isRecordOf, recordKindOf } from './record-kinds';
import type { ClinicalRecordRow, RecordRow } from './record-rows';

/** What reading a patient's records takes: the request's policy and its batched records loader. */
export interface RecordReading {
  access: AccessPolicy;
  loaders: { clinicalRecordsByPatient: DataLoader<string, ClinicalRecordRow[]> };
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
  select: (records: RecordRow<T>[]) => RecordRow<T>[] = (records) => records,
  /** Also the versions a later one replaced (an update from the source, a correction). */
  includeSuperseded = false,
): Promise<RecordRow<T>[]> {
  return ctx.access.discloseRecords(patientId, recordKindOf(type).category, await recordsOfKind(ctx, patientId, type, includeSuperseded), select);
}

function recordsOfKind<T extends ClinicalRecord>(ctx: RecordReading, patientId: string, type: ClassType<T>, includeSuperseded: boolean): Promise<RecordRow<T>[]> {
  return ctx.loaders.clinicalRecordsByPatient
    .load(patientId)
    .then((records) => records.filter((record): record is RecordRow<T> => isRecordOf(record, type) && (includeSuperseded || record.isCurrent)));
}

/**
 * Like `disclosedRecords`, for a response that gathers several categories (an export): a category
 * the user may not see is left out and reported without a count, instead of refusing the whole.
 */
export async function disclosedRecordsIfAllowed<T extends ClinicalRecord>(
  ctx: RecordReading,
  patientId: string,
  type: ClassType<T>,
  select?: (records: RecordRow<T>[]) => RecordRow<T>[],
): Promise<RecordRow<T>[]> {
  return ctx.access.discloseRecords(patientId, recordKindOf(type).category, await recordsOfKind(ctx, patientId, type, false), select, 'LEAVE_OUT');
}

/** The current plan of a type: the newest version among `records`. */
export function currentPlan(records: readonly ClinicalRecordRow[], planType: CarePlanType): RecordRow<CarePlan> | null {
  const versions = records.filter((record): record is RecordRow<CarePlan> => isRecordOf(record, CarePlan) && record.planType === planType);
  return versions.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())[0] ?? null;
}
