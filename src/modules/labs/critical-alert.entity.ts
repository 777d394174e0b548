import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { Patient } from '../patients/patient.entity';
import { LabResult } from './lab-result.entity';

export enum CriticalAlertStatus {
  OPEN = 'OPEN',
  ESCALATED = 'ESCALATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
}
registerEnumType(CriticalAlertStatus, { name: 'CriticalAlertStatus' });

const allowedTransitions: Transitions<CriticalAlertStatus> = {
  [CriticalAlertStatus.OPEN]: [CriticalAlertStatus.ACKNOWLEDGED, CriticalAlertStatus.ESCALATED],
  [CriticalAlertStatus.ESCALATED]: [CriticalAlertStatus.ACKNOWLEDGED],
  [CriticalAlertStatus.ACKNOWLEDGED]: [],
};

/**
 * A critical lab result the prescriber must see. Unacknowledged after the configured time, it
 * escalates to the IOP's on-call staff. Each transition keeps its time.
 */
@ObjectType()
@Entity()
export class CriticalAlert extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @Field(() => LabResult)
  @ManyToOne(() => LabResult, { deleteRule: 'cascade' })
  labResult: Rel<LabResult>;

  @Field({ description: 'The rule that raised it, with the rule table version.' })
  @Property({ type: 'string', length: 100 })
  rule: string;

  @Field()
  @Property({ type: 'string', length: 300 })
  reason: string;

  @Field(() => CriticalAlertStatus)
  @Enum({ items: () => CriticalAlertStatus })
  status: CriticalAlertStatus = CriticalAlertStatus.OPEN;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  acknowledgedById: string | null = null;

  constructor(patient: Rel<Patient>, labResult: Rel<LabResult>, rule: string, reason: string) {
    super();
    this.patient = patient;
    this.labResult = labResult;
    this.rule = rule;
    this.reason = reason;
  }

  private moveTo(status: CriticalAlertStatus): void {
    assertTransition(allowedTransitions, 'A critical alert', this.status, status);
    this.status = status;
  }

  escalate(at: Date = new Date()): void {
    this.moveTo(CriticalAlertStatus.ESCALATED);
    this.escalatedAt = at;
  }

  acknowledge(by: string, at: Date = new Date()): void {
    this.moveTo(CriticalAlertStatus.ACKNOWLEDGED);
    this.acknowledgedById = by;
    this.acknowledgedAt = at;
  }
}
