import type DataLoader from 'dataloader';
import type { AccessPolicy } from '../access/access-policy';
import type { OrganizationRow } from '../organizations/organization.entity';
import type { PatientIdentifierRow } from './patient-care';

/** What reading a patient's record numbers takes: the request's policy and its batched loaders. */
export interface IdentifierReading {
  access: AccessPolicy;
  loaders: { identifiersByPatient: DataLoader<string, PatientIdentifierRow[]>; organization: DataLoader<string, OrganizationRow | null> };
}

/** The patient's record numbers this user may be shown (a program's own numbers stay with the program). */
export async function shownIdentifiers({ loaders, access }: IdentifierReading, patientId: string): Promise<PatientIdentifierRow[]> {
  const identifiers = await loaders.identifiersByPatient.load(patientId);
  const assigners = await Promise.all(identifiers.map((identifier) => loaders.organization.load(identifier.organization.id)));
  return identifiers.filter((_identifier, index) => access.showsIdentifierFrom(assigners[index]));
}
