import { ReferenceKind, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
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

type Conversion = [column: string, convert: (value: unknown) => unknown];

interface RecordsStatement {
  sql: string;
  /** Columns whose database value is not yet the entity's value (timestamps, doubles, arrays, links to records). */
  conversions: Conversion[];
  /** Links to organizations, each read joined (its fields as `<link>Id`, `<link>Name`…). */
  organizationLinks: string[];
}

/** Built once per ORM from its metadata, so a column added to a record kind is read without touching this. */
const statements = new WeakMap<MetadataStorage, RecordsStatement>();

function conversionOf(prop: EntityProperty, platform: Platform): Conversion['1'] | null {
  if (prop.kind === ReferenceKind.MANY_TO_ONE) return (id) => ({ id });
  if (prop.customType) return (value): unknown => prop.customType!.convertToJSValue(value, platform);
  if (prop.runtimeType === 'Date') return (value) => platform.parseDate(value as string);
  return null;
}

/** The organization fields read for each link (the GraphQL Organization's). */
const organizationFields = ['id', 'name', 'kind', 'createdAt'] as const;
const linkAlias = (link: string, field: string) => `${link}${field[0].toUpperCase()}${field.slice(1)}`;

function recordsStatement(em: EntityManager): RecordsStatement {
  const metadata = em.getMetadata();
  const known = statements.get(metadata);
  if (known) return known;
  const platform = em.getPlatform();
  const quote = (name: string) => platform.quoteIdentifier(name);
  const record = metadata.get(ClinicalRecord.name);
  const organization = metadata.get(Organization.name);
  const read = record.props.filter(
    (prop) =>
      (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE) &&
      prop.persist !== false &&
      prop.name !== 'patient' &&
      !(writersOnly as readonly string[]).includes(prop.name),
  );
  const isOrganizationLink = (prop: EntityProperty) => prop.kind === ReferenceKind.MANY_TO_ONE && prop.type === Organization.name;
  const links = read.filter(isOrganizationLink);
  const column = (prop: EntityProperty) => `r.${quote(prop.fieldNames[0])}`;
  const linkColumn = (index: number, field: (typeof organizationFields)[number]) => `o${index}.${quote(organization.properties[field].fieldNames[0])}`;
  const columns = [
    ...read.filter((prop) => !isOrganizationLink(prop)).map((prop) => `${column(prop)} as ${quote(prop.name)}`),
    `${column(record.properties.patient)} as ${quote('patientId')}`,
    ...links.flatMap((link, index) => organizationFields.map((field) => `${linkColumn(index, field)} as ${quote(linkAlias(link.name, field))}`)),
  ];
  const joins = links.map((link, index) => `left join ${quote(organization.tableName)} o${index} on ${linkColumn(index, 'id')} = ${column(link)}`);
  const sql =
    `select ${columns.join(', ')} from ${quote(record.tableName)} r ${joins.join(' ')} ` +
    `where ${column(record.properties.patient)} in (?) order by ${column(record.properties.receivedAt)}, ${column(record.properties.id)}`;
  const conversions = read
    .filter((prop) => !isOrganizationLink(prop))
    .flatMap((prop): Conversion[] => {
      const convert = conversionOf(prop, platform);
      return convert ? [[prop.name, convert]] : [];
    });
  const statement = { sql, conversions, organizationLinks: links.map((link) => link.name) };
  statements.set(metadata, statement);
  return statement;
}

type Building = { -readonly [K in keyof PatientRecordRow]: PatientRecordRow[K] } & Record<string, unknown>;

/**
 * Every record (current and replaced versions) of these patients, oldest first, each with the
 * organizations it links to, in one parameterized statement into plain objects. Records share
 * one object per organization; `organizations` lists them.
 */
export async function readRecordRows(em: EntityManager, patientIds: readonly string[]): Promise<{ records: PatientRecordRow[]; organizations: OrganizationRow[] }> {
  const { sql, conversions, organizationLinks } = recordsStatement(em);
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, [[...patientIds]]);
  const platform = em.getPlatform();
  const organizations = new Map<string, OrganizationRow>();
  const organizationOf = (row: Record<string, unknown>, link: string): OrganizationRow | null => {
    const id = row[linkAlias(link, 'id')] as string | null;
    if (id === null) return null;
    let organization = organizations.get(id);
    if (!organization) {
      organization = {
        id,
        name: row[linkAlias(link, 'name')] as string,
        kind: row[linkAlias(link, 'kind')] as Organization['kind'],
        createdAt: platform.parseDate(row[linkAlias(link, 'createdAt')] as string),
      };
      organizations.set(id, organization);
    }
    return organization;
  };
  const records = rows.map((row) => {
    for (const [column, convert] of conversions) {
      if (row[column] !== null) row[column] = convert(row[column]);
    }
    for (const link of organizationLinks) row[link] = organizationOf(row, link);
    const record = row as Building;
    // The entity's getter, as a value.
    record.isCurrent = record.supersededAt === null;
    return record;
  });
  return { records, organizations: [...organizations.values()] };
}
