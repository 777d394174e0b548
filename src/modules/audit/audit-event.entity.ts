import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from '../../auth/roles';
import { DataCategory, Purpose } from '../consent/data-category';

/**
 * One disclosure of one patient's data. Append-only: a migration installs a trigger that
 * refuses UPDATE, DELETE and TRUNCATE, so not even the application can rewrite history.
 * Ids are plain columns rather than foreign keys so the trail outlives the records it names.
 */
@Entity()
@Index({ properties: ['patientId', 'occurredAt'] })
export class AuditEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date = new Date();

  @Property({ type: 'uuid' })
  userId!: string;

  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'uuid', nullable: true })
  organizationId: string | null = null;

  @Property({ type: 'uuid' })
  patientId!: string;

  @Enum({ items: () => DataCategory, array: true })
  categories!: DataCategory[];

  @Enum({ items: () => Purpose })
  purpose!: Purpose;

  /** The consent that allowed the disclosure, when one was needed. */
  @Property({ type: 'uuid', nullable: true })
  consentId: string | null = null;

  /** The emergency access (break-glass) the disclosure relied on, when it did. */
  @Property({ type: 'uuid', nullable: true })
  breakGlassId: string | null = null;

  @Property({ type: 'string', length: 200 })
  operation!: string;

  @Property({ type: 'string', length: 100 })
  requestId!: string;
}
