import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { BadInputError, UnauthenticatedError } from '../../errors';
import type { AccessPolicy } from '../access/access-policy';
import { AuditEvent } from './audit-event.entity';

const threeYears = 3 * 365 * 86_400_000;

/** Which page of the accounting: how many rows, before which row (the `nextCursor` of the newer page). */
export interface DisclosurePageRequest {
  first: number;
  before?: string | null;
}

export interface DisclosurePageData {
  items: AuditEvent[];
  nextCursor: string | null;
  /** Rows that are another program's business, counted only. */
  otherProgramsCount: number;
}

/** The accounting of disclosures, from the append-only audit trail: the last three years, newest first. */
export class DisclosureService {
  /** The patient's own accounting: every row. */
  ofOwnRecord(em: EntityManager, actor: RequestUser, page: DisclosurePageRequest): Promise<DisclosurePageData> {
    if (!actor.patientId) throw new UnauthenticatedError();
    return this.page(em, actor.patientId, null, page);
  }

  /** A patient's accounting for their care team or program admins; another program's rows are only counted. */
  async ofPatient(em: EntityManager, access: AccessPolicy, patientId: string, page: DisclosurePageRequest): Promise<DisclosurePageData> {
    await access.requireSelfOrCare(patientId);
    return this.page(em, patientId, await access.othersDisclosures(patientId), page);
  }

  /** A page of the patient's rows, without `othersRows` (another program's business), which are only counted. */
  private async page(em: EntityManager, patientId: string, othersRows: FilterQuery<AuditEvent> | null, { first, before }: DisclosurePageRequest): Promise<DisclosurePageData> {
    if (before && !/^\d+$/.test(before)) throw new BadInputError('The cursor is not valid', { argument: 'before' });
    const ofPatient: FilterQuery<AuditEvent> = { patientId, occurredAt: { $gte: new Date(Date.now() - threeYears) } };
    const shown: FilterQuery<AuditEvent>[] = [ofPatient];
    if (before) shown.push({ id: { $lt: before } });
    if (othersRows) shown.push({ $not: othersRows });
    const rows = await em.find(AuditEvent, { $and: shown }, { orderBy: { id: 'desc' }, limit: first + 1 });
    const otherProgramsCount = othersRows ? await em.count(AuditEvent, { $and: [ofPatient, othersRows] }) : 0;
    const items = rows.slice(0, first);
    return { items, nextCursor: rows.length > first ? items[items.length - 1].id : null, otherProgramsCount };
  }
}
