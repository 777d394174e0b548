import { ConflictError } from '../errors';

/** Which states each state may move to; an entity that owns a state machine declares one. */
export type Transitions<S extends string> = Record<S, readonly S[]>;

/**
 * Refuses a move the table does not allow, with a CONFLICT naming both states; the caller then
 * changes its state. `what` reads as the subject: "An enrollment", "A critical alert".
 */
export function assertTransition<S extends string>(transitions: Transitions<S>, what: string, from: S, to: S): void {
  if (!transitions[from].includes(to)) throw new ConflictError(`${what} that is ${from} cannot become ${to}`, { from, to });
}
