import type { EntityManager } from '@mikro-orm/postgresql';
import { runPrepared } from '../../db/prepared';
import { PatientIdentifier } from './patient-identifier.entity';
import { OrganizationIdentifierSystem } from '../organizations/identifier-system.entity';
import { knownIdentifiers, uniqueIdentifiers, type SourceIdentifier } from './source-identifiers';
import { Patient } from './patient.entity';

/** How an inbound message describes its patient. */
export interface InboundPatient {
  identifiers: SourceIdentifier[];
  givenName: string | null;
  familyName: string | null;
  birthDate: string | null;
  phone: string | null;
  postalCode: string | null;
}

export type MatchResult =
  | { certain: true; patient: Patient; by: 'IDENTIFIER' | 'DEMOGRAPHICS' }
  | { certain: false; candidateIds: string[] };

const normalized = (value: string | null) => value?.trim().toLowerCase() ?? null;
const digits = (value: string | null) => value?.replace(/\D/g, '').slice(-10) ?? null;

const identifierKey = (organizationId: string, system: string, value: string) => `${organizationId}|${system}|${value}`;

/**
 * The patient identifiers that name any of `identifiers` (from many inbound patients at once):
 * those the source assigned itself, and those a program issued and that come back in a system it
 * named as its own (an IOP's MRN in PID-3 with the IOP's assigning authority, or in a FHIR
 * identifier with the IOP's system). Returns, for one inbound identifier, the rows naming it.
 */
async function identifiersNaming(em: EntityManager, sourceOrganizationId: string, identifiers: SourceIdentifier[]): Promise<(identifier: SourceIdentifier) => PatientIdentifier[]> {
  if (identifiers.length === 0) return () => [];
  const systems = [...new Set(identifiers.map((identifier) => identifier.system).filter(Boolean))];
  const owners = new Map(
    systems.length === 0 ? [] : (await em.find(OrganizationIdentifierSystem, { system: { $in: systems } })).map((row) => [row.system, row.organization.id]),
  );
  const issued = identifiers.filter((identifier) => owners.has(identifier.system));
  const rows = await em.find(
    PatientIdentifier,
    {
      $or: [
        knownIdentifiers(sourceOrganizationId, identifiers),
        ...(issued.length === 0 ? [] : [{ $or: issued.map(({ system, value }) => ({ organization: owners.get(system), system: '', value })) }]),
      ],
    },
    { populate: ['patient'] },
  );
  const byKey = new Map<string, PatientIdentifier[]>();
  for (const row of rows) {
    const key = identifierKey(row.organization.id, row.system, row.value);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  return ({ system, value }) => [
    ...(byKey.get(identifierKey(sourceOrganizationId, system, value)) ?? []),
    ...(owners.has(system) ? (byKey.get(identifierKey(owners.get(system)!, '', value)) ?? []) : []),
  ];
}

/**
 * Links an inbound patient to a known one only when certain: an identifier the source already
 * uses for a patient, or one a program issued itself (its MRN, in a system it named as its own) (with the same birth date, when one is sent), or one and only one patient with the same given name, family name and birth
 * date whose phone or postal code also matches. Anything less goes to review with the near
 * misses as candidates. Siblings (same birth date and address, other given name) never match.
 */
export async function matchPatient(em: EntityManager, sourceOrganizationId: string, inbound: InboundPatient): Promise<MatchResult> {
  const [result] = await matchPatients(em, sourceOrganizationId, [inbound]);
  return result;
}

/**
 * `matchPatient` for many inbound patients of one source at once: their identifiers are looked
 * up together (one query, whatever their number); only a patient no identifier settles is
 * matched by demographics, one by one.
 */
export async function matchPatients(em: EntityManager, sourceOrganizationId: string, inbounds: InboundPatient[]): Promise<MatchResult[]> {
  const naming = await identifiersNaming(em, sourceOrganizationId, uniqueIdentifiers(inbounds.flatMap((inbound) => inbound.identifiers)));
  const results: MatchResult[] = [];
  for (const inbound of inbounds) {
    const known = inbound.identifiers.flatMap(naming);
    const patients = new Map(known.map((identifier) => [identifier.patient.id, identifier.patient]));
    const only = onlyPatientNamed(patients, inbound);
    if (only) {
      results.push({ certain: true, patient: only, by: 'IDENTIFIER' });
    } else if (patients.size > 0) {
      results.push({ certain: false, candidateIds: [...patients.keys()] });
    } else {
      results.push(await matchByDemographics(em, inbound));
    }
  }
  return results;
}

/** The one patient an inbound patient's identifiers name, if they name one only and the birth date, if sent, agrees. */
function onlyPatientNamed<P extends { birthDate: string }>(named: Map<string, P>, inbound: InboundPatient): P | null {
  const [only] = [...named.values()];
  // An identifier is trusted only when the birth date, if sent, agrees: identifiers get reused.
  return named.size === 1 && (inbound.birthDate === null || only.birthDate === inbound.birthDate) ? only : null;
}

export interface IdentifierMatches {
  /** For each inbound patient, in order: the patient its identifiers name with certainty, else null. */
  patientIds: (string | null)[];
  /** The identifiers (`system|value`) the source already assigned, among those sent. */
  knownToSource: Set<string>;
}

/**
 * The certain part of `matchPatients` for many inbound patients of one source, in one plain
 * statement and without entities (the batch import's hot path): the patient named by
 * identifiers, by the same rule. Whoever it leaves unmatched (null) goes through `matchPatients`,
 * which holds them for review or matches them by demographics.
 */
export async function matchPatientsByIdentifier(em: EntityManager, sourceOrganizationId: string, inbounds: InboundPatient[]): Promise<IdentifierMatches> {
  const identifiers = uniqueIdentifiers(inbounds.flatMap((inbound) => inbound.identifiers));
  // Each row: an identifier sent, a patient it names, and whether the source assigned it itself (else a program that named the system did).
  const rows =
    identifiers.length === 0
      ? []
      : await runPrepared<{ system: string; value: string; patientId: string; birthDate: string; own: boolean }>(
          em,
          `with sent as (select * from unnest($1::text[], $2::text[]) as sent(system, value))
           select sent.system, sent.value, i.patient_id as "patientId", p.birth_date::text as "birthDate", true as own
           from sent join patient_identifier i on i.organization_id = $3 and i.system = sent.system and i.value = sent.value join patient p on p.id = i.patient_id
           union all
           select sent.system, sent.value, i.patient_id, p.birth_date::text, false
           from sent join organization_identifier_system o on o.system = sent.system
             join patient_identifier i on i.organization_id = o.organization_id and i.system = '' and i.value = sent.value join patient p on p.id = i.patient_id`,
          [identifiers.map((each) => each.system), identifiers.map((each) => each.value), sourceOrganizationId],
        );
  const bySent = new Map<string, typeof rows>();
  for (const row of rows) bySent.set(`${row.system}|${row.value}`, [...(bySent.get(`${row.system}|${row.value}`) ?? []), row]);
  const patientIds = inbounds.map((inbound) => {
    const named = inbound.identifiers.flatMap(({ system, value }) => bySent.get(`${system}|${value}`) ?? []);
    return onlyPatientNamed(new Map(named.map((row) => [row.patientId, { id: row.patientId, birthDate: row.birthDate }])), inbound)?.id ?? null;
  });
  return { patientIds, knownToSource: new Set(rows.filter((row) => row.own).map((row) => `${row.system}|${row.value}`)) };
}

async function matchByDemographics(em: EntityManager, inbound: InboundPatient): Promise<MatchResult> {
  if (!inbound.birthDate || !inbound.familyName) return { certain: false, candidateIds: [] };

  const sameBirthDate = await em.find(Patient, { birthDate: inbound.birthDate });
  const given = normalized(inbound.givenName);
  const family = normalized(inbound.familyName);
  const sameName = sameBirthDate.filter((patient) => normalized(patient.givenName) === given && normalized(patient.familyName) === family);
  const corroborated = sameName.filter(
    (patient) =>
      (inbound.phone !== null && digits(patient.phone) === digits(inbound.phone)) ||
      (inbound.postalCode !== null && normalized(patient.postalCode) === normalized(inbound.postalCode)),
  );
  if (sameName.length === 1 && corroborated.length === 1) return { certain: true, patient: corroborated[0], by: 'DEMOGRAPHICS' };
  const nearMisses = sameBirthDate.filter((patient) => normalized(patient.familyName) === family || normalized(patient.givenName) === given);
  return { certain: false, candidateIds: nearMisses.map((patient) => patient.id) };
}
