import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { InboxMessage } from './inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';

export enum MatchReviewStatus {
  PENDING = 'PENDING',
  LINKED = 'LINKED',
  CREATED = 'CREATED',
  REJECTED = 'REJECTED',
  /** The link was undone; a new review of the same message takes its place. */
  UNLINKED = 'UNLINKED',
}
registerEnumType(MatchReviewStatus, { name: 'MatchReviewStatus' });

const allowedTransitions: Transitions<MatchReviewStatus> = {
  [MatchReviewStatus.PENDING]: [MatchReviewStatus.LINKED, MatchReviewStatus.CREATED, MatchReviewStatus.REJECTED],
  [MatchReviewStatus.LINKED]: [MatchReviewStatus.UNLINKED],
  [MatchReviewStatus.CREATED]: [MatchReviewStatus.UNLINKED],
  [MatchReviewStatus.REJECTED]: [],
  [MatchReviewStatus.UNLINKED]: [],
};

/** The demographics an inbound message gave for its patient. */
@ObjectType('InboundDemographics')
export class InboundDemographics {
  @Field(() => String, { nullable: true }) givenName!: string | null;
  @Field(() => String, { nullable: true }) familyName!: string | null;
  @Field(() => String, { nullable: true }) birthDate!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => [String]) identifiers!: string[];
}

/**
 * An inbound message whose patient could not be matched with certainty, waiting for IOP staff
 * to link it to a patient, create a new one, or reject it. The message stays in the inbox (HELD).
 */
@ObjectType()
@Entity()
export class MatchReview extends BaseEntity {
  @ManyToOne(() => InboxMessage, { deleteRule: 'restrict', index: true })
  inboxMessage: Rel<InboxMessage>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sourceOrganization: Rel<Organization>;

  @Field(() => InboundDemographics)
  @Property({ type: 'jsonb' })
  demographics: InboundDemographics;

  @Field(() => [ID], { description: 'Patients that matched in part, for the reviewer to consider.' })
  @Property({ type: 'uuid[]' })
  candidateIds: string[];

  @Field(() => MatchReviewStatus)
  @Enum({ items: () => MatchReviewStatus })
  status: MatchReviewStatus = MatchReviewStatus.PENDING;

  @ManyToOne(() => Patient, { nullable: true, deleteRule: 'restrict' })
  patient: Rel<Patient> | null = null;

  @Property({ type: 'uuid', nullable: true })
  resolvedById: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;

  constructor(inboxMessage: Rel<InboxMessage>, sourceOrganization: Rel<Organization>, demographics: InboundDemographics, candidateIds: string[]) {
    super();
    this.inboxMessage = inboxMessage;
    this.sourceOrganization = sourceOrganization;
    this.demographics = demographics;
    this.candidateIds = candidateIds;
  }

  unlink(by: string, at: Date = new Date()): void {
    this.resolve(MatchReviewStatus.UNLINKED, by, this.patient, at);
  }

  resolve(status: MatchReviewStatus, by: string, patient: Rel<Patient> | null, at: Date = new Date()): void {
    assertTransition(allowedTransitions, 'A match review', this.status, status);
    this.status = status;
    this.patient = patient;
    this.resolvedById = by;
    this.resolvedAt = at;
  }
}
