import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { BadInputError, ConflictError } from '../../errors';
import { DataCategory } from '../consent/data-category';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { User } from '../users/user.entity';
import { ReferralUrgency, type WithheldPart } from './referral-packet';

registerEnumType(ReferralUrgency, { name: 'ReferralUrgency' });

/** A referral's states, after FHIR R4 Task (status) for a ServiceRequest, as closed-loop referral guides use it. */
export enum ReferralStatus {
  DRAFT = 'DRAFT',
  REQUESTED = 'REQUESTED',
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  NO_SHOW = 'NO_SHOW',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  valuesConfig: {
    DRAFT: { description: 'Being written by the sender; the recipient does not see it.' },
    REQUESTED: { description: 'Sent: the packet is decided and stored, the letter is being delivered.' },
    RECEIVED: { description: 'The recipient organization has opened it.' },
    ACCEPTED: { description: 'The recipient will see the patient.' },
    REJECTED: { description: 'The recipient declined it (with a reason).' },
    IN_PROGRESS: { description: 'An appointment is booked (scheduling again reschedules it).' },
    COMPLETED: { description: 'Seen; the consult note is returned.' },
    NO_SHOW: { description: 'The patient did not come to the appointment.' },
    CANCELLED: { description: 'Withdrawn by the sender (with a reason).' },
    FAILED: { description: 'The letter could not be delivered; it may be sent again.' },
  },
});

const {
  DRAFT, REQUESTED, RECEIVED, ACCEPTED, REJECTED, IN_PROGRESS, COMPLETED, NO_SHOW, CANCELLED, FAILED,
} = ReferralStatus;

/**
 * The moves a referral may make. IN_PROGRESS → IN_PROGRESS is a reschedule; a FAILED referral may
 * be sent again (a new letter version). REJECTED, COMPLETED, NO_SHOW and CANCELLED are final.
 */
export const referralTransitions: Transitions<ReferralStatus> = {
  [DRAFT]: [REQUESTED, CANCELLED],
  [REQUESTED]: [RECEIVED, FAILED, CANCELLED],
  [RECEIVED]: [ACCEPTED, REJECTED, CANCELLED],
  [ACCEPTED]: [IN_PROGRESS, CANCELLED],
  [IN_PROGRESS]: [IN_PROGRESS, COMPLETED, NO_SHOW, CANCELLED],
  [REJECTED]: [],
  [COMPLETED]: [],
  [NO_SHOW]: [],
  [CANCELLED]: [],
  [FAILED]: [REQUESTED, CANCELLED],
};

/** The kinds of organization a referral may be addressed to. */
export const referralRecipientKinds: readonly OrganizationKind[] = [OrganizationKind.LOCAL_PROVIDER, OrganizationKind.PRIMARY_CARE];

export const referralTextLimits = { requestedService: 300, reason: 4000, clinicalQuestion: 4000, statusReason: 1000, appointmentPlace: 300, consultNote: 20000 } as const;

/** Who made a move: a user acting for an organization, or the hub itself (null: a job). */
export interface ReferralActor {
  userId: string | null;
  organizationId: string | null;
}

/** One move of a referral, with who made it, for which organization, when, and why. */
@ObjectType({ description: 'One move of a referral: who, for which organization, when, from which state to which, and the note or reason.' })
@Entity()
export class ReferralEvent extends BaseEntity {
  @ManyToOne(() => Referral, { deleteRule: 'cascade', index: true })
  referral: Rel<Referral>;

  @Field(() => ReferralStatus, { nullable: true, description: 'Null for the creation of the draft.' })
  @Enum({ items: () => ReferralStatus, nullable: true })
  fromStatus: ReferralStatus | null;

  @Field(() => ReferralStatus)
  @Enum({ items: () => ReferralStatus })
  toStatus: ReferralStatus;

  @Field(() => ID, { nullable: true, description: 'Null when the hub made the move (a failed delivery).' })
  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true, description: 'The organization the actor acted for.' })
  @Property({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @Field(() => String, { nullable: true, description: 'The reason (rejection, cancellation), the failure code, or what changed.' })
  @Property({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'The appointment booked by this move (scheduling and rescheduling).' })
  @Property({ type: 'timestamptz', nullable: true })
  appointmentAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: referralTextLimits.appointmentPlace, nullable: true })
  appointmentPlace: string | null = null;

  constructor(referral: Rel<Referral>, fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actor: ReferralActor, note: string | null = null) {
    super();
    this.referral = referral;
    this.fromStatus = fromStatus;
    this.toStatus = toStatus;
    this.actorUserId = actor.userId;
    this.organizationId = actor.organizationId;
    this.note = note;
  }
}

/** What a referral asks for, as the sender writes it (while a draft). */
export interface ReferralRequest {
  urgency: ReferralUrgency;
  requestedService: string;
  reason: string;
  clinicalQuestion: string;
  requestedCategories: DataCategory[];
}

/** The packet as decided when sending: the record versions included, what was left out, the consents relied on. */
export interface PacketAsSent {
  recordIds: string[];
  withheld: WithheldPart[];
  consentIds: string[];
}

/**
 * A referral of a patient from their IOP to in-person care (a local provider or a primary-care
 * practice), closed-loop: its state machine, its timeline (`events`), and, once sent, the packet
 * as sent — the ids of the record versions included (records are versioned rows, never edited in
 * place), the parts withheld and the consents relied on — so the letter is rebuilt from exactly
 * what was decided. `version` is checked on every move (optimistic).
 */
@ObjectType({ description: 'A referral to in-person care, closed-loop: sent by an IOP clinician, answered by the recipient organization.' })
@Entity()
@Index({ properties: ['senderOrganization', 'status'] })
@Index({ properties: ['recipientOrganization', 'status'] })
export class Referral extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  senderOrganization: Rel<Organization>;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  senderUser: Rel<User>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  recipientOrganization: Rel<Organization>;

  @Field(() => ReferralUrgency)
  @Enum({ items: () => ReferralUrgency })
  urgency!: ReferralUrgency;

  @Field()
  @Property({ type: 'string', length: referralTextLimits.requestedService })
  requestedService!: string;

  @Field()
  @Property({ type: 'text' })
  reason!: string;

  @Field()
  @Property({ type: 'text' })
  clinicalQuestion!: string;

  @Field(() => [DataCategory], { description: 'The parts of the record the sender asked to include.' })
  @Enum({ items: () => DataCategory, array: true })
  requestedCategories!: DataCategory[];

  @Field(() => ReferralStatus)
  @Enum({ items: () => ReferralStatus })
  status: ReferralStatus = ReferralStatus.DRAFT;

  @Field(() => Int, { description: 'Pass it as expectedVersion to act on the referral; every move increments it.' })
  @Property({ version: true })
  version!: number;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  appointmentAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: referralTextLimits.appointmentPlace, nullable: true })
  appointmentPlace: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected or cancelled.' })
  @Property({ type: 'text', nullable: true })
  statusReason: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  consultNote: string | null = null;

  /** The consult note as a PDF the recipient returned. */
  @Property({ type: 'blob', nullable: true, lazy: true })
  consultNotePdf: Buffer | null = null;

  /** The clinical record the consult note became in the patient's shared view. */
  @Field(() => ID, { nullable: true, description: "The consult note's clinical record in the patient's shared view." })
  @Property({ type: 'uuid', nullable: true })
  consultRecordId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why the letter could not be delivered (a code, no PHI).' })
  @Property({ type: 'string', length: 100, nullable: true })
  failureReasonCode: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  /** The record versions the packet carries, as sent. */
  @Property({ type: 'uuid[]', default: '{}' })
  packetRecordIds: string[] = [];

  /** The requested parts the policy left out when it was sent. */
  @Property({ type: 'jsonb', default: '[]' })
  packetWithheld: WithheldPart[] = [];

  /** The consents in force the packet was sent under. */
  @Property({ type: 'uuid[]', default: '{}' })
  packetConsentIds: string[] = [];

  @Field(() => Int, { description: "The letter's version: 0 until sent, 1 when first sent, +1 each time it is sent again." })
  @Property({ type: 'integer', default: 0 })
  letterVersion: number = 0;

  @OneToMany(() => ReferralEvent, (event) => event.referral, { orderBy: { createdAt: 'asc', id: 'asc' } })
  events = new Collection<ReferralEvent>(this);

  constructor(
    parties: { patient: Rel<Patient>; senderOrganization: Rel<Organization>; senderUser: Rel<User>; recipientOrganization: Rel<Organization> },
    request: ReferralRequest,
  ) {
    super();
    this.patient = parties.patient;
    this.senderOrganization = parties.senderOrganization;
    this.senderUser = parties.senderUser;
    this.recipientOrganization = parties.recipientOrganization;
    this.assign(request);
    this.events.add(new ReferralEvent(this, null, DRAFT, { userId: parties.senderUser.id, organizationId: parties.senderOrganization.id }));
  }

  /** Refuses an act on a version other than the current one: someone else moved it meanwhile. */
  assertVersion(expected: number): void {
    if (this.version !== expected) throw new ConflictError(`The referral changed meanwhile (version ${this.version}, not ${expected}): read it again`, { version: this.version, expectedVersion: expected });
  }

  /** Changes what a draft asks for; a sent referral is what was sent. */
  update(request: Partial<ReferralRequest>): void {
    if (this.status !== DRAFT) throw new ConflictError(`A referral that is ${this.status} cannot be changed`, { from: this.status });
    this.assign({ ...this.request(), ...request });
  }

  /** Sends it (from a draft, or again after a failed delivery) with the packet decided at the policy point. */
  send(packet: PacketAsSent, actor: ReferralActor, at: Date = new Date()): ReferralEvent {
    const event = this.moveTo(REQUESTED, actor);
    this.packetRecordIds = [...packet.recordIds];
    this.packetWithheld = packet.withheld.map((part) => ({ ...part }));
    this.packetConsentIds = [...packet.consentIds];
    this.sentAt = at;
    this.letterVersion += 1;
    this.failureReasonCode = null;
    return event;
  }

  receive(actor: ReferralActor): ReferralEvent {
    return this.moveTo(RECEIVED, actor);
  }

  accept(actor: ReferralActor): ReferralEvent {
    return this.moveTo(ACCEPTED, actor);
  }

  reject(reason: string, actor: ReferralActor): ReferralEvent {
    return this.closeWith(REJECTED, reason, actor);
  }

  /** Books the appointment; again while IN_PROGRESS, reschedules it (each booking kept in the timeline). */
  schedule(at: Date, place: string, actor: ReferralActor): ReferralEvent {
    if (Number.isNaN(at.getTime())) throw new BadInputError('The appointment time is not a date', { field: 'at' });
    const booked = requiredText(place, 'place', referralTextLimits.appointmentPlace);
    const event = this.moveTo(IN_PROGRESS, actor);
    this.appointmentAt = at;
    this.appointmentPlace = booked;
    event.appointmentAt = at;
    event.appointmentPlace = booked;
    return event;
  }

  complete(note: { text: string | null; pdf: Buffer | null }, consultRecordId: string | null, actor: ReferralActor): ReferralEvent {
    const text = note.text?.trim() || null;
    if (!text && !note.pdf) throw new BadInputError('Return the consult note as text or as a PDF', { field: 'consultNote' });
    if (text && text.length > referralTextLimits.consultNote) throw new BadInputError(`The consult note is longer than ${referralTextLimits.consultNote} characters`, { field: 'consultNote' });
    const event = this.moveTo(COMPLETED, actor);
    this.consultNote = text;
    this.consultNotePdf = note.pdf;
    this.consultRecordId = consultRecordId;
    return event;
  }

  markNoShow(actor: ReferralActor): ReferralEvent {
    return this.moveTo(NO_SHOW, actor);
  }

  cancel(reason: string, actor: ReferralActor): ReferralEvent {
    return this.closeWith(CANCELLED, reason, actor);
  }

  /** The letter could not be delivered after its last attempt (a hub move: no user). */
  failDelivery(reasonCode: string): ReferralEvent {
    const event = this.moveTo(FAILED, { userId: null, organizationId: null }, reasonCode);
    this.failureReasonCode = reasonCode.slice(0, 100);
    return event;
  }

  /** The request as the sender wrote it. */
  request(): ReferralRequest {
    return {
      urgency: this.urgency,
      requestedService: this.requestedService,
      reason: this.reason,
      clinicalQuestion: this.clinicalQuestion,
      requestedCategories: this.requestedCategories,
    };
  }

  private assign(request: ReferralRequest): void {
    if (!Object.values(ReferralUrgency).includes(request.urgency)) throw new BadInputError('Unknown urgency', { field: 'urgency' });
    const categories = [...new Set(request.requestedCategories)];
    if (categories.includes(DataCategory.PSYCHOTHERAPY_NOTES)) throw new BadInputError('Psychotherapy notes are never disclosed', { field: 'requestedCategories' });
    this.urgency = request.urgency;
    this.requestedService = requiredText(request.requestedService, 'requestedService', referralTextLimits.requestedService);
    this.reason = requiredText(request.reason, 'reason', referralTextLimits.reason);
    this.clinicalQuestion = requiredText(request.clinicalQuestion, 'clinicalQuestion', referralTextLimits.clinicalQuestion);
    this.requestedCategories = categories;
  }

  private closeWith(status: typeof REJECTED | typeof CANCELLED, reason: string, actor: ReferralActor): ReferralEvent {
    const given = requiredText(reason, 'reason', referralTextLimits.statusReason);
    const event = this.moveTo(status, actor, given);
    this.statusReason = given;
    return event;
  }

  private moveTo(status: ReferralStatus, actor: ReferralActor, note: string | null = null): ReferralEvent {
    assertTransition(referralTransitions, 'A referral', this.status, status);
    const event = new ReferralEvent(this, this.status, status, actor, note);
    this.events.add(event);
    this.status = status;
    return event;
  }
}

/** Trimmed text that must be there and fit its column, else BAD_USER_INPUT naming the field. */
function requiredText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw new BadInputError(`Give the ${field}`, { field });
  if (trimmed.length > maxLength) throw new BadInputError(`The ${field} is longer than ${maxLength} characters`, { field });
  return trimmed;
}
