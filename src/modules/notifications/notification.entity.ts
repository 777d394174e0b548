import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { User } from '../users/user.entity';
import { NotificationSubject } from './notification-subject';

/** Where the e-mail telling the recipient of a notification stands (null: none is to be sent). */
export enum EmailStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Gave up after NOTIFY_EMAIL_MAX_ATTEMPTS; the in-app notification is still there. */
  FAILED = 'FAILED',
}

/**
 * An in-app message to one user. It names what happened and the record's id, never PHI.
 * `sourceKey` (the job that made it) keeps a redelivered job from notifying twice.
 */
@ObjectType()
@Entity()
@Unique({ properties: ['sourceKey', 'recipient'] })
@Index({
  name: 'notification_email_undelivered_idx',
  expression: `create index "notification_email_undelivered_idx" on "notification" ("email_status", "email_next_attempt_at") where "email_status" in ('PENDING', 'FAILED')`,
})
export class Notification extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  recipient: Rel<User>;

  @Field()
  @Property({ type: 'string', length: 100 })
  kind: string;

  @Field(() => NotificationSubject, { description: 'Which query opens the subject (see NotificationSubject).' })
  @Property({ type: 'string', length: 100 })
  subjectType: NotificationSubject;

  @Field(() => ID, { description: 'The id to pass to that query.' })
  @Property({ type: 'uuid' })
  subjectId: string;

  @Property({ type: 'string', length: 200 })
  sourceKey: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  @Enum({ items: () => EmailStatus, nullable: true })
  emailStatus: EmailStatus | null = null;

  /** Failed sends so far, plus the one that succeeded. */
  @Property({ type: 'integer', default: 0 })
  emailAttempts: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  emailNextAttemptAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  emailSentAt: Date | null = null;

  constructor(init: { recipient: Rel<User>; kind: string; subjectType: NotificationSubject; subjectId: string; sourceKey: string }) {
    super();
    this.recipient = init.recipient;
    this.kind = init.kind;
    this.subjectType = init.subjectType;
    this.subjectId = init.subjectId;
    this.sourceKey = init.sourceKey;
  }

  /** The e-mail went out (called on a PENDING row claimed for sending). */
  emailSent(at: Date): void {
    this.emailAttempts += 1;
    this.emailStatus = EmailStatus.SENT;
    this.emailSentAt = at;
    this.emailNextAttemptAt = null;
  }

  /** No e-mail after all (the recipient's account was closed before it went out); the in-app message stays. */
  emailWithdrawn(): void {
    this.emailStatus = null;
    this.emailNextAttemptAt = null;
  }

  /** A failed send: tried again after `retryDelayMs(failures so far)`, or given up once `maxAttempts` are spent. */
  emailFailed(at: Date, maxAttempts: number, retryDelayMs: (failures: number) => number): void {
    this.emailAttempts += 1;
    if (this.emailAttempts >= maxAttempts) {
      this.emailStatus = EmailStatus.FAILED;
      this.emailNextAttemptAt = null;
    } else {
      this.emailNextAttemptAt = new Date(at.getTime() + retryDelayMs(this.emailAttempts));
    }
  }
}
