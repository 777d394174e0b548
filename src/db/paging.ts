import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { BadInputError } from '../errors';
import { isUuid } from './find';

export const maxPageSize = 100;

/** Which page to read: how many items, after which cursor (the `endCursor` of the previous page). */
export interface PageRequest {
  first: number;
  after?: string | null;
}

/** One page of items in creation order, each with its cursor. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

interface Keyed {
  id: string;
  createdAt: Date;
}

export function encodeCursor(node: Keyed): string {
  return Buffer.from(JSON.stringify([node.createdAt.toISOString(), node.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || !isUuid(id) || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new BadInputError('The cursor is not valid', { argument: 'after' });
  }
}

/** Keyset pagination in creation order, stable under inserts; one query for the page, one for the count. */
export async function paginate<T extends Keyed>(em: EntityManager, entity: EntityName<T>, where: FilterQuery<T>, request: PageRequest): Promise<Page<T>> {
  const conditions: FilterQuery<T>[] = [where];
  if (request.after) {
    const { createdAt, id } = decodeCursor(request.after);
    conditions.push({ $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] } as FilterQuery<T>);
  }
  const [rows, totalCount] = await Promise.all([
    em.find(entity, { $and: conditions } as FilterQuery<T>, {
      orderBy: { createdAt: 'asc', id: 'asc' } as never,
      limit: request.first + 1,
    }),
    em.count(entity, where),
  ]);
  const page = rows.slice(0, request.first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > request.first, endCursor: page.length ? encodeCursor(page[page.length - 1]) : null },
    totalCount,
  };
}
