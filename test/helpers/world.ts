import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenClaims } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { seedDemoIfEmpty } from '../../src/db/seed';
import { Patient } from '../../src/modules/patients/patient.entity';
import { User } from '../../src/modules/users/user.entity';

/**
 * The demo seed as a test world: one organization of each kind, a user of every role, three
 * patients in the IOP with a prescriber and a therapist on each care team; the patient user is
 * the first patient.
 */
export interface World {
  claims: Record<Role, TokenClaims>;
  /** The IOP's second clinician (the therapist), also on every care team. */
  therapist: TokenClaims;
  patients: Patient[];
  iopId: string;
}

export async function seedWorld(em: EntityManager): Promise<World> {
  const users = await seedDemoIfEmpty(em);
  const claims = {} as Record<Role, TokenClaims>;
  let therapist: TokenClaims | undefined;
  for (const { claims: each } of users) {
    if (claims[each.role]) therapist = each;
    else claims[each.role] = each;
  }
  const patients = await em.fork().find(Patient, {}, { orderBy: { birthDate: 'desc' } });
  const patientUser = await em.fork().findOneOrFail(User, { id: claims[Role.PATIENT].userId });
  patients.sort((a, b) => (a.id === patientUser.patient?.id ? -1 : b.id === patientUser.patient?.id ? 1 : 0));
  return { claims, therapist: therapist!, patients, iopId: claims[Role.IOP_CLINICIAN].organizationId! };
}
