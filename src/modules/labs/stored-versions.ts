import type { EntityManager } from '@mikro-orm/postgresql';
import { runPrepared } from '../../db/prepared';
import type { PlainStatement } from '../../db/insert-entities';
import { ClinicalRecordKind } from '../clinical/clinical-record.entity';
import type { ResultStatus } from './lab-result.entity';

/**
 * A current version of a lab result or order already stored, read in plain SQL rather than as an
 * entity (an import compares new versions with it, nothing more): what deciding which version
 * is current needs, and whether it was superseded since, for `supersedingStatement` to write.
 */
export class StoredVersion {
  readonly id!: string;
  readonly kind!: ClinicalRecordKind;
  readonly patientId!: string;
  /** A result's key (its versions share it); null for an order. */
  readonly resultKey!: string | null;
  /** An order's id (its reports share it); null for a result. */
  readonly orderId!: string | null;
  readonly resultStatus!: ResultStatus;
  readonly reportedAt!: Date | null;
  readonly analyzedAt!: Date | null;
  readonly receivedAt!: Date;
  readonly statusChangedAt!: Date | null;
  supersededAt: Date | null = null;
  supersededById: string | null = null;

  constructor(row: Omit<StoredVersion, 'supersededAt' | 'supersededById' | 'isCurrent' | 'supersede'>) {
    Object.assign(this, row);
  }

  /** From a row as the ORM's connection returns it: times as text. */
  static fromRow(row: StoredVersionRow): StoredVersion {
    const time = (text: string | null) => (text === null ? null : new Date(text));
    return new StoredVersion({
      ...row,
      reportedAt: time(row.reportedAt),
      analyzedAt: time(row.analyzedAt),
      receivedAt: new Date(row.receivedAt),
      statusChangedAt: time(row.statusChangedAt),
    });
  }

  get isCurrent(): boolean {
    return this.supersededAt === null;
  }

  /** As `ClinicalRecord.supersede`. */
  supersede(by: { id: string }, at: Date = new Date()): void {
    this.supersededAt ??= at;
    this.supersededById ??= by.id;
  }
}

type StoredVersionRow = Omit<ConstructorParameters<typeof StoredVersion>[0], 'reportedAt' | 'analyzedAt' | 'receivedAt' | 'statusChangedAt'> & {
  reportedAt: string | null;
  analyzedAt: string | null;
  receivedAt: string;
  statusChangedAt: string | null;
};

/** The current versions a source's new lab results (by key) and orders (by id) of these patients compete with, in one statement. */
export async function readCurrentVersions(
  em: EntityManager,
  sourceOrganizationId: string,
  patientIds: string[],
  resultKeys: string[],
  orderIds: string[],
): Promise<StoredVersion[]> {
  if (patientIds.length === 0 || resultKeys.length + orderIds.length === 0) return [];
  const rows = await runPrepared<StoredVersionRow>(
    em,
    `select id, kind, patient_id as "patientId", result_key as "resultKey", order_id as "orderId", result_status as "resultStatus",
       reported_at as "reportedAt", analyzed_at as "analyzedAt", received_at as "receivedAt", status_changed_at as "statusChangedAt"
     from clinical_record
     where source_organization_id = $1 and patient_id = any($2::uuid[]) and superseded_at is null
       and ((kind = $3 and result_key = any($4::text[])) or (kind = $5 and order_id = any($6::text[])))`,
    [sourceOrganizationId, patientIds, ClinicalRecordKind.LAB_RESULT, resultKeys, ClinicalRecordKind.LAB_ORDER, orderIds],
  );
  return rows.map((row) => StoredVersion.fromRow(row));
}

/** The statement that keeps in history the stored versions superseded since they were read; null when none was. */
export function supersedingStatement(versions: StoredVersion[]): PlainStatement | null {
  const superseded = versions.filter((version) => !version.isCurrent);
  if (superseded.length === 0) return null;
  return {
    sql: `update clinical_record set superseded_at = v.superseded_at, superseded_by_id = v.superseded_by_id
          from json_to_recordset(?::json) as v(id uuid, superseded_at timestamptz, superseded_by_id uuid) where clinical_record.id = v.id`,
    params: [JSON.stringify(superseded.map(({ id, supersededAt, supersededById }) => ({ id, superseded_at: supersededAt, superseded_by_id: supersededById })))],
  };
}
