import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { categoriesOf, type LabelFacts } from '../consent/labels';
import { DataCategory } from '../consent/data-category';
import { Organization, type OrganizationRow } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { DatePrecision } from './date-precision';

export enum ClinicalRecordKind {
  DIAGNOSIS = 'DIAGNOSIS',
  PRESCRIPTION = 'PRESCRIPTION',
  ASSESSMENT = 'ASSESSMENT',
  ATTENDANCE = 'ATTENDANCE',
  CARE_PLAN = 'CARE_PLAN',
  SIDE_EFFECT = 'SIDE_EFFECT',
  ALLERGY = 'ALLERGY',
  ENCOUNTER = 'ENCOUNTER',
  LAB_RESULT = 'LAB_RESULT',
  LAB_ORDER = 'LAB_ORDER',
  DISPENSE = 'DISPENSE',
}
registerEnumType(ClinicalRecordKind, { name: 'ClinicalRecordKind' });

/** Where a record came from: who holds the original, in which system, under which id, and when it arrived. */
export interface ProvenanceInit {
  sourceOrganization: Rel<Organization>;
  sourceSystem: string;
  sourceRecordId?: string | null;
  receivedAt?: Date;
  recordedById?: string | null;
  inboxMessageId?: string | null;
  /** Fingerprint of the source's content this version was made from. */
  sourceContentHash?: string | null;
}

@ObjectType({ description: 'Where a record came from.' })
export class Provenance {
  @Field(() => ID)
  organizationId!: string;

  @Field({ description: '"carebridge" for records entered here; otherwise the sending system.' })
  system!: string;

  @Field(() => String, { nullable: true, description: "The record's id in the source system." })
  recordId!: string | null;

  @Field(() => GraphQLDateTime)
  receivedAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The inbound message it came in, when it came from another system.' })
  inboxMessageId!: string | null;

  /** The organization as read with the record (its `organization` field answers from it when read in full). */
  source!: OrganizationRow | { id: string };
}

/** Where a record came from, as the API shows it (for entities and for records read as plain rows). */
export function provenanceOf(
  record: Pick<ClinicalRecord, 'sourceSystem' | 'sourceRecordId' | 'receivedAt' | 'inboxMessageId'> & { sourceOrganization: { id: string } },
): Provenance {
  return {
    organizationId: record.sourceOrganization.id,
    source: record.sourceOrganization,
    system: record.sourceSystem,
    recordId: record.sourceRecordId,
    receivedAt: record.receivedAt,
    inboxMessageId: record.inboxMessageId,
  };
}

/**
 * Every clinical record of a patient, whatever its kind, in one table (single-table
 * inheritance), so the merged patient view reads them all in one statement. Each record carries
 * its data categories, set once by the labelling rule (consent/labels.ts), and its provenance.
 */
/** The GraphQL type of each kind: a record read as a plain row is no instance of its class to tell it by. */
const graphqlTypeOfKind: Record<ClinicalRecordKind, string> = {
  DIAGNOSIS: 'Diagnosis',
  PRESCRIPTION: 'Prescription',
  ASSESSMENT: 'Assessment',
  ATTENDANCE: 'Attendance',
  CARE_PLAN: 'CarePlan',
  SIDE_EFFECT: 'SideEffect',
  ALLERGY: 'Allergy',
  ENCOUNTER: 'Encounter',
  LAB_RESULT: 'LabResult',
  LAB_ORDER: 'LabOrder',
  DISPENSE: 'Dispense',
};

@InterfaceType({
  description: 'A clinical record of a patient, from the IOP or another source.',
  resolveType: (record: { kind: ClinicalRecordKind }) => graphqlTypeOfKind[record.kind],
})
@Entity({ tableName: 'clinical_record', abstract: true, discriminatorColumn: 'kind' })
@Index({ properties: ['patient', 'kind'] })
// A record that arrived from another system has one current version per source, patient and source
// id: a resend is not a new record, an update supersedes it, and a source reusing an id for another
// patient does not touch the first patient's record.
@Index({
  name: 'clinical_record_source_unique',
  expression:
    'create unique index "clinical_record_source_unique" on "clinical_record" ("source_organization_id", "patient_id", "kind", "source_record_id") where "source_record_id" is not null and "superseded_at" is null',
})
export abstract class ClinicalRecord extends BaseEntity {
  @Field(() => ClinicalRecordKind)
  @Enum({ items: () => ClinicalRecordKind })
  kind!: ClinicalRecordKind;

  @ManyToOne(() => Patient, { deleteRule: 'cascade' })
  patient!: Rel<Patient>;

  @Field(() => [DataCategory])
  @Enum({ items: () => DataCategory, array: true })
  categories!: DataCategory[];

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sourceOrganization!: Rel<Organization>;

  @Property({ type: 'string', length: 200 })
  sourceSystem!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  sourceRecordId: string | null = null;

  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();

  /** The inbound message the record came in, for tracing and for undoing a wrong patient link. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  inboxMessageId: string | null = null;

  /** The user who entered the record here; null for records that arrived from another system. */
  @Property({ type: 'uuid', nullable: true })
  recordedById: string | null = null;

  /** Fingerprint of the source's content this version was made from: an identical resend changes nothing. */
  @Property({ type: 'string', length: 64, nullable: true })
  sourceContentHash: string | null = null;

  @Field(() => String, { nullable: true, description: 'The record\'s date exactly as the source gave it, e.g. "2019-06" when only the month is known.' })
  @Property({ type: 'string', length: 40, nullable: true })
  dateAsGiven: string | null = null;

  @Field(() => DatePrecision, { nullable: true, description: 'How much of the record\'s date the source knew.' })
  @Enum({ items: () => DatePrecision, nullable: true })
  datePrecision: DatePrecision | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a later version (an update from the source, a correction) replaced this one.' })
  @Property({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null = null;

  @Field(() => ID, { nullable: true, description: 'The version that replaced this one; none when the source withdrew the record.' })
  @Property({ type: 'uuid', nullable: true })
  supersededById: string | null = null;

  /** Not replaced by a later version. */
  get isCurrent(): boolean {
    return this.supersededAt === null;
  }

  /** Kept in history, no longer current: a later version replaces it. */
  supersede(by: { id: string }, at: Date = new Date()): void {
    this.supersededAt ??= at;
    this.supersededById ??= by.id;
  }

  /** Current again: the version that replaced it was removed. */
  reinstate(): void {
    this.supersededAt = null;
    this.supersededById = null;
  }

  /** No longer current, with no successor: the source withdrew it (entered in error, refuted). */
  withdraw(at: Date = new Date()): void {
    this.supersededAt ??= at;
  }

  /** Keeps the record's date as the source wrote it, beside the normalized value its kind stores. */
  keepDateAsGiven(text: string, precision: DatePrecision): void {
    this.dateAsGiven = text;
    this.datePrecision = precision;
  }

  protected init(patient: Rel<Patient>, provenance: ProvenanceInit, facts: LabelFacts): void {
    this.patient = patient;
    this.sourceOrganization = provenance.sourceOrganization;
    this.sourceSystem = provenance.sourceSystem;
    this.sourceRecordId = provenance.sourceRecordId ?? null;
    this.receivedAt = provenance.receivedAt ?? new Date();
    this.recordedById = provenance.recordedById ?? null;
    this.inboxMessageId = provenance.inboxMessageId ?? null;
    this.sourceContentHash = provenance.sourceContentHash ?? null;
    this.categories = categoriesOf(facts);
    // MikroORM sets the discriminator only at flush; set it now so new records know their kind.
    this.kind = ClinicalRecordKind[facts.kind];
  }
}
