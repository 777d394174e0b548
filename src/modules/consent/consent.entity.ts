import { Collection, Entity, Enum, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import { Role } from '../../auth/roles';
import { BadInputError } from '../../errors';
import { consentReaderRoles } from '../access/rules';
import { Organization } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { DataCategory, Purpose } from './data-category';

export enum ConsentStatus {
  REQUESTED = 'REQUESTED',
  ACTIVE = 'ACTIVE',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ConsentStatus, { name: 'ConsentStatus' });

/** Events that end a consent, as the patient may choose instead of a date. */
export enum ConsentExpiryEvent {
  /** The patient's treatment in the disclosing program ends (discharge or withdrawal). */
  END_OF_TREATMENT = 'END_OF_TREATMENT',
}
registerEnumType(ConsentExpiryEvent, { name: 'ConsentExpiryEvent' });

const transitions: Transitions<ConsentStatus> = {
  [ConsentStatus.REQUESTED]: [ConsentStatus.ACTIVE, ConsentStatus.DECLINED, ConsentStatus.EXPIRED],
  [ConsentStatus.ACTIVE]: [ConsentStatus.REVOKED, ConsentStatus.EXPIRED],
  [ConsentStatus.DECLINED]: [],
  [ConsentStatus.EXPIRED]: [],
  [ConsentStatus.REVOKED]: [],
};

/** The statement every consent shows and the patient acknowledges when signing (42 CFR §2.31(a)(6)). */
export const rightToRevokeStatement =
  'I understand that I may revoke this consent at any time, in writing or through CareBridge, except to the extent that action has already been taken in reliance on it.';

/** Every state change of a consent, with who made it and when. */
@ObjectType()
@Entity()
export class ConsentEvent extends BaseEntity {
  @ManyToOne(() => Consent, { deleteRule: 'cascade', index: true })
  consent: Rel<Consent>;

  @Field(() => ConsentStatus, { nullable: true })
  @Enum({ items: () => ConsentStatus, nullable: true })
  fromStatus: ConsentStatus | null;

  @Field(() => ConsentStatus)
  @Enum({ items: () => ConsentStatus })
  toStatus: ConsentStatus;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  byUserId: string | null;

  constructor(consent: Rel<Consent>, fromStatus: ConsentStatus | null, toStatus: ConsentStatus, byUserId: string | null) {
    super();
    this.consent = consent;
    this.fromStatus = fromStatus;
    this.toStatus = toStatus;
    this.byUserId = byUserId;
  }
}

export interface ConsentTerms {
  recipientOrganizationIds: string[];
  /** Named people (users at partner organizations), as §2.31(a)(4) allows instead of or besides organizations. */
  recipientUserIds: string[];
  purpose: Purpose;
  /** What the disclosure is for, in words: required for OTHER (§2.31(a)(5)). */
  purposeStatement?: string | null;
  categories: DataCategory[];
  startsAt: Date;
  expiresAt: Date | null;
  expiryEvent: ConsentExpiryEvent | null;
}

/**
 * A release-of-information consent (42 CFR Part 2 §2.31): who may receive which categories of a
 * patient's records from which program, for what purpose, until when, signed by the patient.
 */
@ObjectType()
@Entity()
export class Consent extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade', index: true })
  patient: Rel<Patient>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  program: Rel<Organization>;

  @Field(() => [ID], { description: 'The organizations that may receive the records.' })
  @Property({ type: 'uuid[]' })
  recipientOrganizationIds: string[];

  @Field(() => [ID], { description: 'The named people who may receive the records, whatever organization they act for.' })
  @Property({ type: 'uuid[]', default: '{}' })
  recipientUserIds: string[];

  @Field(() => Purpose)
  @Enum({ items: () => Purpose })
  purpose: Purpose;

  @Field(() => String, { nullable: true, description: 'The purpose in words; required when the purpose is OTHER.' })
  @Property({ type: 'string', length: 500, nullable: true })
  purposeStatement: string | null;

  @Field(() => [DataCategory], { description: 'SUD only when listed; psychotherapy notes never.' })
  @Enum({ items: () => DataCategory, array: true })
  categories: DataCategory[];

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz' })
  startsAt: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Field(() => ConsentExpiryEvent, { nullable: true, description: 'An event that ends the consent.' })
  @Enum({ items: () => ConsentExpiryEvent, nullable: true })
  expiryEvent: ConsentExpiryEvent | null;

  @Field(() => ConsentStatus)
  @Enum({ items: () => ConsentStatus })
  status: ConsentStatus = ConsentStatus.REQUESTED;

  @Field(() => String, { nullable: true, description: 'The name the patient typed as signature.' })
  @Property({ type: 'string', length: 200, nullable: true })
  signedName: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  signedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  signatureMethod: string | null = null;

  @Field()
  @Property({ type: 'text' })
  rightToRevoke: string = rightToRevokeStatement;

  /** The rendered consent form (PDF), written by the roi-consent worker. */
  @Property({ type: 'blob', nullable: true, lazy: true })
  document: Buffer | null = null;

  @Field(() => [ConsentEvent])
  @OneToMany(() => ConsentEvent, (event) => event.consent, { orderBy: { createdAt: 'asc' } })
  events = new Collection<ConsentEvent>(this);

  constructor(patient: Rel<Patient>, program: Rel<Organization>, terms: ConsentTerms, requestedBy: string) {
    super();
    this.patient = patient;
    this.program = program;
    this.recipientOrganizationIds = [...new Set(terms.recipientOrganizationIds)];
    this.recipientUserIds = [...new Set(terms.recipientUserIds)];
    this.purpose = terms.purpose;
    this.purposeStatement = terms.purposeStatement?.trim() || null;
    this.categories = [...new Set(terms.categories)];
    this.startsAt = terms.startsAt;
    this.expiresAt = terms.expiresAt;
    this.expiryEvent = terms.expiryEvent;
    this.events.add(new ConsentEvent(this, null, ConsentStatus.REQUESTED, requestedBy));
  }

  /**
   * Whether the patient signed this consent naming the user, or the organization they act for, as
   * a recipient. Before the signature the request is the program's record: it would tell a
   * recipient the patient is in its care without their consent.
   */
  wasGrantedTo(user: { id: string; role: Role; organizationId?: string | null }): boolean {
    if (!this.signedAt) return false;
    const readsForRecipient = consentReaderRoles.includes(user.role) && !!user.organizationId && this.recipientOrganizationIds.includes(user.organizationId);
    return this.recipientUserIds.includes(user.id) || readsForRecipient;
  }

  /** The §2.31 elements this consent lacks; it can be activated only when there are none. */
  missingElements(): string[] {
    const missing: string[] = [];
    if (this.recipientOrganizationIds.length === 0 && this.recipientUserIds.length === 0) missing.push('recipients (organizations or named people)');
    if (this.purpose === Purpose.OTHER && !this.purposeStatement) missing.push('purpose statement (what the disclosure is for)');
    if (this.categories.length === 0) missing.push('categories (the information to disclose)');
    if (this.categories.includes(DataCategory.PSYCHOTHERAPY_NOTES)) missing.push('categories without psychotherapy notes (never disclosed)');
    if (!this.expiresAt && !this.expiryEvent) missing.push('expiry (a date or an event)');
    if (this.expiresAt && this.expiresAt <= this.startsAt) missing.push('expiry after the start');
    if (!this.signedName?.trim()) missing.push('signature (the patient\'s typed name)');
    if (!this.signedAt) missing.push('signature date');
    return missing;
  }

  /** Active and in force now: from the start until the expiry date. */
  inForce(at: Date = new Date()): boolean {
    return this.status === ConsentStatus.ACTIVE && this.startsAt <= at && (this.expiresAt === null || this.expiresAt > at);
  }

  private moveTo(status: ConsentStatus, byUserId: string | null): void {
    assertTransition(transitions, 'A consent', this.status, status);
    this.events.add(new ConsentEvent(this, this.status, status, byUserId));
    this.status = status;
  }

  sign(signedName: string, acknowledgedRightToRevoke: boolean, byUserId: string, at: Date = new Date()): void {
    if (!acknowledgedRightToRevoke) throw new BadInputError('The patient must acknowledge the right to revoke', { element: 'right to revoke' });
    if (signedName.length > 200) throw new BadInputError('The typed name is longer than 200 characters', { element: 'signature' });
    this.signedName = signedName;
    this.signedAt = at;
    this.signatureMethod = 'TYPED_NAME';
    const missing = this.missingElements();
    if (missing.length > 0) throw new BadInputError(`The consent lacks: ${missing.join(', ')}`, { missing });
    this.moveTo(ConsentStatus.ACTIVE, byUserId);
  }

  decline(byUserId: string): void {
    this.moveTo(ConsentStatus.DECLINED, byUserId);
  }

  revoke(byUserId: string): void {
    this.moveTo(ConsentStatus.REVOKED, byUserId);
  }

  expire(): void {
    this.moveTo(ConsentStatus.EXPIRED, null);
  }
}
