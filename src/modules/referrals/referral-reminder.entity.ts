import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Referral } from './referral.entity';

export enum ReferralReminderKind {
  /** Sent and not yet acknowledged (still REQUESTED) when due: the recipient is reminded, the sender alerted. */
  ACKNOWLEDGE = 'ACKNOWLEDGE',
  /** The appointment passed (IN_PROGRESS) without an outcome: the recipient is asked to record it. */
  OUTCOME = 'OUTCOME',
}

/**
 * A reminder the sweep sent about a referral, once per kind and occasion (the sending or the
 * appointment that started its clock: a unique key), so a rerun, two workers sweeping together or
 * a sweep resumed after a crash never remind twice; sending again, or rescheduling, starts a new one.
 */
@Entity()
@Unique({ name: 'referral_reminder_once', properties: ['referral', 'kind', 'occasionAt'] })
export class ReferralReminder extends BaseEntity {
  @ManyToOne(() => Referral, { deleteRule: 'cascade' })
  referral!: Rel<Referral>;

  @Enum({ items: () => ReferralReminderKind })
  kind!: ReferralReminderKind;

  /** What started the clock: when the referral was sent, or the appointment's time. */
  @Property({ type: 'timestamptz' })
  occasionAt!: Date;

  /** When it fell due. */
  @Property({ type: 'timestamptz' })
  dueAt!: Date;
}
