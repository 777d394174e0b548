import type { Rel } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Organization } from '../organizations/organization.entity';
import type { InboundDemographics } from '../ingest/match-review.entity';
import { PatientIdentifier } from './patient-identifier.entity';
import type { Patient } from './patient.entity';

/**
 * An identifier as a source sends it: the value and the system (FHIR identifier.system, HL7
 * PID-3 assigning authority) that issued it. A lab serving two clinics can send the same MRN
 * value from both; the system tells them apart.
 */
export interface SourceIdentifier {
  system: string;
  value: string;
}

export function uniqueIdentifiers(identifiers: SourceIdentifier[]): SourceIdentifier[] {
  const seen = new Map(identifiers.filter((each) => each.value).map((each) => [`${each.system}|${each.value}`, each]));
  return [...seen.values()];
}

/** The identifiers a source already assigned, among `identifiers`. */
export function knownIdentifiers(organizationId: string, identifiers: SourceIdentifier[]): FilterQuery<PatientIdentifier> {
  return { organization: organizationId, $or: identifiers.map(({ system, value }) => ({ system, value })) };
}

/** Keeps the source's identifiers for the patient, so its next message matches directly. */
export async function rememberIdentifiers(em: EntityManager, patient: Patient, source: Organization, identifiers: SourceIdentifier[]): Promise<void> {
  await rememberIdentifiersOf(em, source, [{ patient, identifiers }]);
}

/**
 * `rememberIdentifiers` for many patients of one source at once (one query): an identifier the
 * source does not know yet goes to the first patient sent with it, as if one after the other.
 */
export async function rememberIdentifiersOf(em: EntityManager, source: Organization, sent: { patient: Patient; identifiers: SourceIdentifier[] }[]): Promise<void> {
  const identifiers = uniqueIdentifiers(sent.flatMap((each) => each.identifiers));
  if (identifiers.length === 0) return;
  const taken = new Set((await em.find(PatientIdentifier, knownIdentifiers(source.id, identifiers))).map((each) => `${each.system}|${each.value}`));
  em.persist(newIdentifiersOf(source, sent, taken));
}

/**
 * The identifiers to remember for patients of one source, given those it already assigned
 * (`system|value`): each one not taken, for the first patient sent with it. New entities, for
 * the caller to write.
 */
export function newIdentifiersOf(source: Rel<Organization>, sent: { patient: Rel<Patient>; identifiers: SourceIdentifier[] }[], taken: ReadonlySet<string>): PatientIdentifier[] {
  const given = new Set(taken);
  const identifiers: PatientIdentifier[] = [];
  for (const { patient, identifiers: ofPatient } of sent) {
    for (const identifier of ofPatient.filter((each) => !given.has(`${each.system}|${each.value}`))) {
      given.add(`${identifier.system}|${identifier.value}`);
      identifiers.push(new PatientIdentifier(patient, source, identifier.value, identifier.system));
    }
  }
  return identifiers;
}

/** What a review shows of an inbound patient (identifiers as "system|value"). */
export function demographicsOf(inbound: Omit<InboundDemographics, 'identifiers'> & { identifiers: SourceIdentifier[] }): InboundDemographics {
  return {
    givenName: inbound.givenName,
    familyName: inbound.familyName,
    birthDate: inbound.birthDate,
    phone: inbound.phone,
    postalCode: inbound.postalCode,
    identifiers: inbound.identifiers.map((each) => (each.system ? `${each.system}|${each.value}` : each.value)),
  };
}
