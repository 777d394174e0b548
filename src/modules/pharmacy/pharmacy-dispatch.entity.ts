import { Entity, Enum, ManyToOne, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Prescription } from '../medications/prescription.entity';
import { Organization } from '../organizations/organization.entity';
import { WebhookMessage } from '../webhooks/webhook-message.entity';

/** What a message to the pharmacy says of a routed prescription (the FHIR MedicationRequest status it carries). */
export enum DispatchKind {
  /** Dispense it (`active`). */
  ORDER = 'ORDER',
  /** Withdrawn by the prescriber (`cancelled`). */
  CANCEL = 'CANCEL',
  /** Discontinued at reconciliation (`stopped`). */
  STOP = 'STOP',
}
registerEnumType(DispatchKind, { name: 'PharmacyDispatchKind' });

/**
 * One message of a routed prescription to its pharmacy's webhook endpoint and how it fared. Its id
 * is the `Idempotency-Key` the pharmacy sees: every retry of one message carries the same key.
 */
@ObjectType({ description: 'A message about a routed prescription to its pharmacy, and whether it got there.' })
@Entity()
export class PharmacyDispatch extends WebhookMessage {
  @ManyToOne(() => Prescription, { deleteRule: 'cascade', index: true })
  prescription: Rel<Prescription>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  pharmacy: Rel<Organization>;

  @Field(() => DispatchKind)
  @Enum({ items: () => DispatchKind })
  kind: DispatchKind;

  constructor(prescription: Rel<Prescription>, pharmacy: Rel<Organization>, kind: DispatchKind) {
    super();
    this.prescription = prescription;
    this.pharmacy = pharmacy;
    this.kind = kind;
  }
}
