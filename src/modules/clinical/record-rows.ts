import { ReferenceKind, type EntityMetadata, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
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

/** A field of a record row: its name, and how its JSON value becomes the entity's value (none: as it is). */
interface RowField {
  name: string;
  convert: ((value: unknown) => unknown) | null;
  /** A link to an organization, read as that organization's row. */
  organization: boolean;
}

interface RecordsStatement {
  sql: string;
  /** The fields of each kind's rows (by the discriminator's value), in the order the kind's entity declares them. */
  fieldsOfKind: Map<string, RowField[]>;
  /** The fields of a record of a kind not known here: every column read. */
  allFields: RowField[];
}

/** Built once per ORM from its metadata, so a column added to a record kind is read without touching this. */
const statements = new WeakMap<MetadataStorage, RecordsStatement>();

function conversionOf(prop: EntityProperty, platform: Platform): RowField['convert'] {
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

/**
 * One statement: the records as one JSON array, each record an object of its non-null columns
 * named as the entity's properties (a record has values in its own kind's columns only, a tenth of
 * the table's), its organizations by id; and the organizations they link to, each once.
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
  const fieldOf = (prop: EntityProperty): RowField => ({ name: prop.name, convert: conversionOf(prop, platform), organization: isOrganizationLink(prop) });
  const read = readProps(record);
  const links = read.filter(isOrganizationLink);
  const column = (prop: EntityProperty) => `r.${quote(prop.fieldNames[0])}`;
  const columns = [...read.map((prop) => `${column(prop)} as ${quote(prop.name)}`), `${column(record.properties.patient)} as ${quote('patientId')}`];
  const organizationColumn = (field: (typeof organizationFields)[number]) => `'${field}', o.${quote(organization.properties[field].fieldNames[0])}`;
  const sql =
    `with r as (select ${columns.join(', ')} from ${quote(record.tableName)} r where ${column(record.properties.patient)} in (?)) ` +
    `select (select coalesce(json_agg(json_strip_nulls(row_to_json(r)) order by r.${quote('receivedAt')}, r.${quote('id')}), '[]') from r) as records, ` +
    `(select coalesce(json_agg(json_build_object(${organizationFields.map(organizationColumn).join(', ')})), '[]') from ${quote(organization.tableName)} o ` +
    `where o.${quote(organization.properties.id.fieldNames[0])} in (${links.map((link) => `select ${quote(link.name)} from r`).join(' union ')})) as organizations`;
  const fieldsOfKind = new Map(
    Object.entries(record.discriminatorMap ?? {}).map(([kind, className]) => [kind, readProps(metadata.get(className)).map(fieldOf)] as const),
  );
  const statement = { sql, fieldsOfKind, allFields: read.map(fieldOf) };
  statements.set(metadata, statement);
  return statement;
}

/** The organization fields read for each link (the GraphQL Organization's). */
const organizationFields = ['id', 'name', 'kind', 'createdAt'] as const;

type Json = Record<string, unknown>;

/**
 * Every record (current and replaced versions) of these patients, oldest first, each with the
 * organizations it links to, in one parameterized statement into plain objects: each record has
 * the fields of its kind (null where the column is), the same object per organization;
 * `organizations` lists them.
 */
export async function readRecordRows(em: EntityManager, patientIds: readonly string[]): Promise<{ records: PatientRecordRow[]; organizations: OrganizationRow[] }> {
  const { sql, fieldsOfKind, allFields } = recordsStatement(em);
  const [read] = await em.getConnection().execute<{ records: Json[]; organizations: (Omit<OrganizationRow, 'createdAt'> & { createdAt: string })[] }[]>(sql, [[...patientIds]]);
  const platform = em.getPlatform();
  const organizations = new Map(read.organizations.map((each): [string, OrganizationRow] => [each.id, { ...each, createdAt: platform.parseDate(each.createdAt) }]));
  const records = read.records.map((json) => {
    const row: Json = {};
    for (const { name, convert, organization } of fieldsOfKind.get(json.kind as string) ?? allFields) {
      const value = json[name];
      row[name] = value === undefined ? null : organization ? organizations.get(value as string) : convert ? convert(value) : value;
    }
    row.patientId = json.patientId;
    // The entity's getter, as a value.
    row.isCurrent = row.supersededAt === null;
    return row as unknown as PatientRecordRow;
  });
  return { records, organizations: [...organizations.values()] };
}
