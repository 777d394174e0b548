import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException, type EntityName, type FilterQuery, type FindOneOptions } from '@mikro-orm/core';
import { BadInputError, ConflictError, ConsentRequiredError, ForbiddenError, NotFoundError } from '../errors';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Finds a record by id or throws NOT_FOUND (also for ids that are not UUIDs, which no record has). */
export async function findByIdOrFail<T extends { id: string }, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string,
  what: string,
  options?: FindOneOptions<T, P>,
) {
  const found = isUuid(id) ? await em.findOne(entity, { id } as FilterQuery<T>, options) : null;
  if (!found) throw new NotFoundError(what, id);
  return found;
}

/**
 * Awaits a policy check on a record opened by id; a refusal (FORBIDDEN, CONSENT_REQUIRED) becomes
 * NOT_FOUND, as for an unknown id, so an id never tells whether it exists for someone else.
 */
export async function refusedAsNotFound<T>(check: Promise<T>, what: string, id: string): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof ConsentRequiredError) throw new NotFoundError(what, id);
    throw error;
  }
}

/** Runs `work`; a unique-constraint violation (e.g. a concurrent duplicate) becomes CONFLICT. */
export async function conflictOnDuplicate<T>(work: Promise<T>, message: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(message);
    throw error;
  }
}

/**
 * Refuses an entity whose text is longer than its columns allow, naming the field, so that input
 * from outside gets a clear error instead of a database failure.
 */
export function assertFitsColumns(em: EntityManager, entity: object, where: string): void {
  const meta = em.getMetadata().find(entity.constructor.name);
  for (const prop of meta?.props ?? []) {
    const value = (entity as Record<string, unknown>)[prop.name];
    if (typeof value === 'string' && prop.length && value.length > prop.length) {
      throw new BadInputError(`${where}: ${prop.name} is longer than ${prop.length} characters`);
    }
  }
}
