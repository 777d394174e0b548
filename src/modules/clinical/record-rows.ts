import { ReferenceKind, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization, type OrganizationRow } from '../organizations/organization.entity';
import { ClinicalRecord } from './clinical-record.entity';

/** Columns only the writers use (matching a resend, ordering a lab's versions); reads leave them out. */
const writersOnly = ['recordedById', 'sourceContentHash', 'resultKey', 'reportedAt', 'analyzedAt'] as const;

type Method = (...args: never[]) => unknown;
/** A link to another record or organization, read as its id. */
type RowValue<V> = V extends Organization | ClinicalRecord ? { id: string } : V;

type Fields<T extends ClinicalRecord> = {
  readonly [K in keyof T as K extends 'patient' | (typeof writersOnly)[number] ? never : T[K] extends Method ? never : K]: RowValue<T[K]>;
};

/** What every record read shows, whatever its kind: the shared fields, its source organization. */
export type ClinicalRecordRow = Fields<ClinicalRecord> & { readonly sourceOrganization: OrganizationRow };

/**
 * A clinical record as the read path gives it: a plain object with the record's fields (getters
 * included, as values), its source organization and links by id; no unit of work, no ORM state.
 * Every entity of the kind is one too, so code that reads records takes either.
 */
export type RecordRow<T extends ClinicalRecord> = ClinicalRecordRow & Fields<T>;

/** A record read for a patient of the batch. */
export type PatientRecordRow = ClinicalRecordRow & { readonly patientId: string };

type Conversion = [column: string, convert: (value: unknown) => unknown];

interface RecordsStatement {
  sql: string;
  /** Columns whose database value is not yet the entity's value (timestamps, doubles, arrays, links). */
  conversions: Conversion[];
}

/** Built once per ORM from its metadata, so a column added to a record kind is read without touching this. */
const statements = new WeakMap<MetadataStorage, RecordsStatement>();

function conversionOf(prop: EntityProperty, platform: Platform): Conversion['1'] | null {
  if (prop.kind === ReferenceKind.MANY_TO_ONE) return (id) => ({ id });
  if (prop.customType) return (value): unknown => prop.customType!.convertToJSValue(value, platform);
  if (prop.runtimeType === 'Date') return (value) => platform.parseDate(value as string);
  return null;
}

/** The source organization's fields, read beside each record (as `sourceId`, `sourceName`…). */
const sourceFields = ['id', 'name', 'kind', 'createdAt'] as const;
const sourceAlias = (name: string) => `source${name[0].toUpperCase()}${name.slice(1)}`;

function recordsStatement(em: EntityManager): RecordsStatement {
  const metadata = em.getMetadata();
  const known = statements.get(metadata);
  if (known) return known;
  const platform = em.getPlatform();
  const quote = (name: string) => platform.quoteIdentifier(name);
  const record = metadata.get(ClinicalRecord.name);
  const source = metadata.get(Organization.name);
  const read = record.props.filter(
    (prop) =>
      (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE) &&
      prop.persist !== false &&
      prop.name !== 'patient' &&
      prop.name !== 'sourceOrganization' &&
      !(writersOnly as readonly string[]).includes(prop.name),
  );
  const column = (prop: EntityProperty) => `r.${quote(prop.fieldNames[0])}`;
  const sourceColumn = (prop: EntityProperty) => `o.${quote(prop.fieldNames[0])}`;
  const columns = [
    ...read.map((prop) => `${column(prop)} as ${quote(prop.name)}`),
    `${column(record.properties.patient)} as ${quote('patientId')}`,
    ...sourceFields.map((name) => `${sourceColumn(source.properties[name])} as ${quote(sourceAlias(name))}`),
  ];
  const sql =
    `select ${columns.join(', ')} from ${quote(record.tableName)} r ` +
    `join ${quote(source.tableName)} o on ${sourceColumn(source.properties.id)} = ${column(record.properties.sourceOrganization)} ` +
    `where ${column(record.properties.patient)} in (?) order by ${column(record.properties.receivedAt)}, ${column(record.properties.id)}`;
  const conversions = read.flatMap((prop): Conversion[] => {
    const convert = conversionOf(prop, platform);
    return convert ? [[prop.name, convert]] : [];
  });
  const statement = { sql, conversions };
  statements.set(metadata, statement);
  return statement;
}

type Building = { -readonly [K in keyof PatientRecordRow]: PatientRecordRow[K] } & Record<string, unknown>;

/**
 * Every record (current and replaced versions) of these patients, oldest first, each with its
 * source organization, in one parameterized statement into plain objects. Records of one source
 * share its organization object.
 */
export async function readRecordRows(em: EntityManager, patientIds: readonly string[]): Promise<PatientRecordRow[]> {
  const { sql, conversions } = recordsStatement(em);
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, [[...patientIds]]);
  const platform = em.getPlatform();
  const sources = new Map<string, OrganizationRow>();
  return rows.map((row) => {
    for (const [column, convert] of conversions) {
      if (row[column] !== null) row[column] = convert(row[column]);
    }
    const sourceId = row.sourceId as string;
    let source = sources.get(sourceId);
    if (!source) {
      source = { id: sourceId, name: row.sourceName as string, kind: row.sourceKind as Organization['kind'], createdAt: platform.parseDate(row.sourceCreatedAt as string) };
      sources.set(sourceId, source);
    }
    const record = row as Building;
    record.sourceOrganization = source;
    // The entity's getter, as a value.
    record.isCurrent = record.supersededAt === null;
    return record;
  });
}
