import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Patient } from '../patients/patient.entity';

export enum ReconciliationAction {
  KEEP = 'KEEP',
  DISCONTINUE = 'DISCONTINUE',
  CHANGE = 'CHANGE',
}
registerEnumType(ReconciliationAction, { name: 'ReconciliationAction' });

/** A clinician's decision about one medication (by ingredient) across sources; never edited, kept as history. */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'ingredient'] })
export class MedicationReconciliation extends BaseEntity {
  @ManyToOne(() => Patient, { deleteRule: 'cascade' })
  patient: Rel<Patient>;

  @Field()
  @Property({ type: 'string', length: 200 })
  ingredient: string;

  @Field(() => ReconciliationAction)
  @Enum({ items: () => ReconciliationAction })
  action: ReconciliationAction;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  decidedById: string;

  /** The program whose clinician decided: its decisions (and notes) are its record. */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  programId: string;

  constructor(
    patient: Rel<Patient>,
    ingredient: string,
    action: ReconciliationAction,
    note: string | null,
    decided: { byId: string; programId: string },
  ) {
    super();
    this.programId = decided.programId;
    this.patient = patient;
    this.ingredient = ingredient;
    this.action = action;
    this.note = note;
    this.decidedById = decided.byId;
  }
}
