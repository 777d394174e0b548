/**
 * Errors the services raise. Each carries one of the design's GraphQL error codes; the GraphQL
 * layer (src/graphql/errors.ts) turns them into `extensions.code`, HTTP routes into a status.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONSENT_REQUIRED'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, { id });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this', details: Record<string, unknown> = {}) {
    super('FORBIDDEN', message, details);
  }
}

export class BadInputError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ConsentRequiredError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONSENT_REQUIRED', message, details);
  }
}
