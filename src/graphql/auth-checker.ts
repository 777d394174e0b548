import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Role } from '../auth/roles';
import type { GraphQLContext } from './context';

/**
 * `@Authorized()` needs a signed-in user; `@Authorized([roles])` one of those roles. Throwing
 * our own errors gives the design's codes (type-graphql's default says UNAUTHORIZED for both).
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  if (!context.user) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.includes(context.user.role)) {
    throw new ForbiddenError(`This needs one of the roles ${roles.join(', ')}`);
  }
  return true;
};
