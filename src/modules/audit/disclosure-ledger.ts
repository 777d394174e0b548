import type { RequestUser } from '../../auth/request-user';
import { DataCategory, type Purpose } from '../consent/data-category';
import type { AuditRow } from './audit-writer';

/** A disclosure made to the reader: which categories of a patient, for what, relying on which consent or emergency access. */
export interface Disclosure {
  patientId: string;
  purpose: Purpose;
  allowed: DataCategory[];
  consentId: string | null;
  breakGlassId: string | null;
}

/** Items left out of a response, reported to the client so a list never pretends to be complete. */
export interface Withholding {
  patientId: string;
  categories: DataCategory[];
  /** How many records; null when a whole category is closed, whose size is not the reader's business. */
  count: number | null;
  reason: string;
}

/** A withholding being gathered: the distinct records left out (null for a whole closed category). */
interface WithheldEntry {
  patientId: string;
  categories: DataCategory[];
  recordIds: Set<string> | null;
  reason: string;
}

/**
 * What one request disclosed and what it left out, gathered as resolvers run. Before the response
 * leaves, the audit plugin (graphql/audit-plugin.ts) reports the withholdings as CONSENT_REQUIRED
 * and writes the disclosures as one batch of audit rows.
 */
export class DisclosureLedger {
  private readonly pending = new Map<string, Omit<Disclosure, 'allowed'> & { categories: Set<DataCategory> }>();
  private readonly withheld = new Map<string, WithheldEntry>();

  record(disclosure: Disclosure): void {
    const key = `${disclosure.patientId}|${disclosure.purpose}|${disclosure.consentId ?? ''}|${disclosure.breakGlassId ?? ''}`;
    const { patientId, purpose, consentId, breakGlassId } = disclosure;
    const entry = this.pending.get(key) ?? { patientId, purpose, consentId, breakGlassId, categories: new Set<DataCategory>() };
    disclosure.allowed.forEach((category) => entry.categories.add(category));
    this.pending.set(key, entry);
  }

  /** Records left out of the response, reported as CONSENT_REQUIRED naming the categories and counting distinct records. */
  withhold(patientId: string, categories: DataCategory[], records: { id: string; isCurrent?: boolean }[], reason: string): void {
    // A version a later one replaced is not a record the reader misses.
    const current = records.filter((record) => record.isCurrent !== false);
    if (current.length === 0) return;
    const key = `${patientId}|${[...categories].sort().join(',')}|${reason}`;
    const entry = this.withheld.get(key) ?? { patientId, categories: [...categories].sort(), recordIds: new Set<string>(), reason };
    for (const record of current) entry.recordIds?.add(record.id);
    this.withheld.set(key, entry);
  }

  /** Reports a whole category left out of a response (say, an export), without saying how much it holds. */
  leaveOut(patientId: string, category: DataCategory, reason: string): void {
    this.withheld.set(`${patientId}|${category}|closed`, { patientId, categories: [category], recordIds: null, reason });
  }

  get withholdings(): Withholding[] {
    return [...this.withheld.values()].map(({ recordIds, ...entry }) => ({ ...entry, count: recordIds?.size ?? null }));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Whether the response discloses substance-use-disorder (42 CFR Part 2) data. */
  get includesSud(): boolean {
    return [...this.pending.values()].some((entry) => entry.categories.has(DataCategory.SUD));
  }

  /** Inserts the audit rows in one statement; a request that disclosed nothing writes nothing. */
  async flush(write: (rows: AuditRow[]) => Promise<void>, meta: { user: RequestUser; operation: string; requestId: string }): Promise<number> {
    if (this.pending.size === 0) return 0;
    const rows = [...this.pending.values()].map((entry) => ({
      userId: meta.user.id,
      role: meta.user.role,
      organizationId: meta.user.organizationId,
      patientId: entry.patientId,
      categories: [...entry.categories].sort(),
      purpose: entry.purpose,
      consentId: entry.consentId,
      breakGlassId: entry.breakGlassId,
      operation: meta.operation,
      requestId: meta.requestId,
    }));
    await write(rows);
    this.pending.clear();
    return rows.length;
  }
}
