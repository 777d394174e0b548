import { ReferenceKind, type EntityMetadata, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runPrepared } from '../../db/prepared';
import { Organization, type OrganizationRow } from '../organizations/organization.entity';
import { ClinicalRecord } from './clinical-record.entity';

/** Columns only the writers use (matching a resend, ordering a lab's versions); reads leave them out. */
const writersOnly = ['recordedById', 'sourceContentHash', 'resultKey', 'reportedAt', 'analyzedAt'] as const;

type Method = (...args: never[]) => unknown;
/** A link read with the record: an organization with its fields, another record by its id. */
type RowValue<V> = V extends Organization ? OrganizationRow : V extends ClinicalRecord ? { id: string } : V;

type Fields<T extends ClinicalRecord> = {
  readonly [K in keyof T as K extends 'patient' | (typeof writersOnly)[number] ? never : T[K] extends Method ? never : K]: RowValue<T[K]>;
};

/** What every record read shows, whatever its kind: the shared fields, its source organization. */
export type ClinicalRecordRow = Fields<ClinicalRecord>;

/**
 * A clinical record as the read path gives it: a plain object with the record's fields (its getter
 * as a value), the organizations it links to (source, pharmacy) and other records by id; no unit
 * of work, no ORM state.
 * Every entity of the kind is one too, so code that reads records takes either.
 */
export type RecordRow<T extends ClinicalRecord> = ClinicalRecordRow & Fields<T>;

/** A record read for a patient of the batch. */
export type PatientRecordRow = ClinicalRecordRow & { readonly patientId: string };

/** A field of a record row whose JSON value is not yet the entity's value: how it becomes it. */
interface Conversion {
  name: string;
  convert: (value: unknown) => unknown;
  /** A link to an organization, read as that organization's row. */
  organization: boolean;
}

interface RecordsStatement {
  sql: string;
  /** The fields to convert in each kind's rows (by the discriminator's value). */
  conversionsOfKind: Map<string, Conversion[]>;
}

/** Built once per ORM from its metadata, so a column added to a record kind is read without touching this. */
const statements = new WeakMap<MetadataStorage, RecordsStatement>();

function conversionOf(prop: EntityProperty, platform: Platform): Conversion['convert'] | null {
  if (prop.kind === ReferenceKind.MANY_TO_ONE) return (id) => ({ id });
  if (prop.customType) return (value): unknown => prop.customType!.convertToJSValue(value, platform);
  if (prop.runtimeType === 'Date') return (value) => platform.parseDate(value as string);
  return null;
}

/** The columns a kind's rows carry: its scalars and links but the patient and what only writers use. */
const readProps = (meta: EntityMetadata) =>
  meta.props.filter(
    (prop) =>
      (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE) &&
      prop.persist !== false &&
      prop.name !== 'patient' &&
      !(writersOnly as readonly string[]).includes(prop.name),
  );

/** Postgres takes at most 100 arguments to a function, so 50 fields to `json_build_object`. */
const maxJsonFields = 50;

/**
 * One statement (prepared once per connection: its text is long): the records as one JSON array, each record an object of its own kind's columns
 * only (a record has values in a tenth of the table's), named as the entity's properties, its
 * organizations by id; and the organizations they link to, each once.
 */
function recordsStatement(em: EntityManager): RecordsStatement {
  const metadata = em.getMetadata();
  const known = statements.get(metadata);
  if (known) return known;
  const platform = em.getPlatform();
  const quote = (name: string) => platform.quoteIdentifier(name);
  const record = metadata.get(ClinicalRecord.name);
  const organization = metadata.get(Organization.name);
  const isOrganizationLink = (prop: EntityProperty) => prop.kind === ReferenceKind.MANY_TO_ONE && prop.type === Organization.name;
  const column = (prop: EntityProperty) => `r.${quote(prop.fieldNames[0])}`;
  const jsonObject = (fields: [name: string, sql: string][]) => {
    if (fields.length > maxJsonFields) throw new Error(`readRecordRows: a record kind has ${fields.length} fields, more than ${maxJsonFields}`);
    return `json_build_object(${fields.map(([name, sql]) => `'${name}', ${sql}`).join(', ')})`;
  };
  const kinds = Object.entries(record.discriminatorMap ?? {}).map(([kind, className]) => ({ kind, props: readProps(metadata.get(className)) }));
  const recordJson = `case ${column(record.properties.kind)} ${kinds
    .map(({ kind, props }) => `when ${platform.quoteValue(kind)} then ${jsonObject([...props.map((prop): [string, string] => [prop.name, column(prop)]), ['patientId', column(record.properties.patient)]])}`)
    .join(' ')} end`;
  const links = readProps(record).filter(isOrganizationLink);
  const organizationJson = jsonObject(organizationFields.map((field) => [field, `o.${quote(organization.properties[field].fieldNames[0])}`]));
  const sql =
    `with r as (select * from ${quote(record.tableName)} r where ${column(record.properties.patient)} = any($1::uuid[])) ` +
    `select (select coalesce(json_agg(${recordJson} order by ${column(record.properties.receivedAt)}, ${column(record.properties.id)}), '[]') from r) as records, ` +
    `(select coalesce(json_agg(${organizationJson}), '[]') from ${quote(organization.tableName)} o ` +
    `where o.${quote(organization.properties.id.fieldNames[0])} in (${links.map((link) => `select ${column(link)} from r`).join(' union ')})) as organizations`;
  const conversionsOfKind = new Map(
    kinds.map(({ kind, props }) => [
      kind,
      props.flatMap((prop): Conversion[] => {
        const convert = conversionOf(prop, platform);
        return convert ? [{ name: prop.name, convert, organization: isOrganizationLink(prop) }] : [];
      }),
    ]),
  );
  const statement = { sql, conversionsOfKind };
  statements.set(metadata, statement);
  return statement;
}

/** The organization fields read for each link (the GraphQL Organization's). */
const organizationFields = ['id', 'name', 'kind', 'createdAt'] as const;

type Json = Record<string, unknown>;

/**
 * Every record (current and replaced versions) of these patients, oldest first, each with the
 * organizations it links to, in one parameterized statement into plain objects: each record has
 * the fields of its kind, the same object per organization; `organizations` lists them.
 */
export async function readRecordRows(em: EntityManager, patientIds: readonly string[]): Promise<{ records: PatientRecordRow[]; organizations: OrganizationRow[] }> {
  const { sql, conversionsOfKind } = recordsStatement(em);
  const [read] = await runPrepared<{ records: Json[]; organizations: (Omit<OrganizationRow, 'createdAt'> & { createdAt: string })[] }>(em, sql, [[...patientIds]]);
  const platform = em.getPlatform();
  const organizations = new Map(read.organizations.map((each): [string, OrganizationRow] => [each.id, { ...each, createdAt: platform.parseDate(each.createdAt) }]));
  const records = read.records.map((row) => {
    for (const { name, convert, organization } of conversionsOfKind.get(row.kind as string)!) {
      const value = row[name];
      if (value !== null) row[name] = organization ? organizations.get(value as string) : convert(value);
    }
    // The entity's getter, as a value.
    row.isCurrent = row.supersededAt === null;
    return row as unknown as PatientRecordRow;
  });
  return { records, organizations: [...organizations.values()] };
}
