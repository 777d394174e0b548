import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import type { AccessDecision } from '../consent/policy';
import { DataCategory } from '../consent/data-category';
import { AuditEvent } from './audit-event.entity';

/**
 * The disclosures one request makes, gathered as resolvers run and written as one batch of
 * audit rows before the response leaves (see graphql/audit-plugin.ts).
 */
export class DisclosureLog {
  private readonly pending = new Map<
    string,
    Pick<AccessDecision, 'patientId' | 'purpose' | 'consentId' | 'breakGlassId'> & { categories: Set<DataCategory> }
  >();

  record(decision: AccessDecision): void {
    const key = `${decision.patientId}|${decision.purpose}|${decision.consentId ?? ''}|${decision.breakGlassId ?? ''}`;
    const entry = this.pending.get(key) ?? { ...decision, categories: new Set<DataCategory>() };
    decision.allowed.forEach((category) => entry.categories.add(category));
    this.pending.set(key, entry);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Whether the response discloses substance-use-disorder (42 CFR Part 2) data. */
  get includesSud(): boolean {
    return [...this.pending.values()].some((entry) => entry.categories.has(DataCategory.SUD));
  }

  /** Inserts the audit rows in one statement; a request that disclosed nothing writes nothing. */
  async flush(em: EntityManager, meta: { user: RequestUser; operation: string; requestId: string }): Promise<number> {
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
    await em.fork().insertMany(AuditEvent, rows);
    this.pending.clear();
    return rows.length;
  }
}
