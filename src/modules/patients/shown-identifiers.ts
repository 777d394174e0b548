import type { GraphQLContext } from '../../graphql/context';
import type { PatientIdentifier } from './patient-identifier.entity';

/** The patient's record numbers this user may be shown (a program's own numbers stay with the program). */
export async function shownIdentifiers({ loaders, access }: GraphQLContext, patientId: string): Promise<PatientIdentifier[]> {
  const identifiers = await loaders.identifiersByPatient.load(patientId);
  const assigners = await Promise.all(identifiers.map((identifier) => loaders.organization.load(identifier.organization.id)));
  return identifiers.filter((_identifier, index) => access.showsIdentifierFrom(assigners[index]));
}
