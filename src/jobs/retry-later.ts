/**
 * Thrown by a job's work that cannot be done now but soon will (another job holds what it needs):
 * the job comes back later, without counting as a failed attempt.
 */
export class RetryLaterError extends Error {}
