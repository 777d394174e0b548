import { DomainError } from '../errors';
import type { RequestUser } from './request-user';
import type { Role } from './roles';
import type { TrustedCredentials } from './trusted-credentials';

export type SourceCheck = { organizationId: string } | { refused: 401 | 403; reason: string };

/**
 * Authenticates the senders of inbound messages (labs, practices) for the ingest routes, where one
 * sender sends thousands of messages a minute with the same token: from the process's trusted
 * credentials (a suspended source is refused from its next message on), checking the role on
 * every message.
 */
export class SourceAuthenticator {
  constructor(private readonly credentials: TrustedCredentials) {}

  /** The sending organization when the credentials are valid and carry `role`, otherwise the status and reason to refuse with. */
  async authenticate(authorization: string | undefined, role: Role, roleReason: string): Promise<SourceCheck> {
    let user: RequestUser | null;
    try {
      user = await this.credentials.userOf(authorization);
    } catch (error) {
      if (error instanceof DomainError) return { refused: 401, reason: error.message };
      throw error;
    }
    if (!user) return { refused: 401, reason: 'Authentication required' };
    if (user.role !== role || !user.organizationId) return { refused: 403, reason: roleReason };
    return { organizationId: user.organizationId };
  }
}
