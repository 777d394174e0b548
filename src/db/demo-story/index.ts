import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { DataCategory } from '../../modules/consent/data-category';
import { Patient } from '../../modules/patients/patient.entity';
import { User } from '../../modules/users/user.entity';
import type { DemoCast } from '../seed';
import { actAs } from './acting';
import { recordClinicalHistory } from './clinical';
import { signConsents } from './consents';
import { receiveLabResults } from './labs';
import { prescribeAndDispense } from './medications';
import { patientEmails } from './patients';
import { referRiley } from './referral';

export { demoPatients, patientEmails } from './patients';

/** Jordan's and Riley's own logins (Avery's is one of the demo's users), so each signs their consent. */
async function patientLogins(em: EntityManager, cast: DemoCast): Promise<RequestUser[]> {
  const fork = em.fork();
  const others = cast.patients.slice(1).map((patient, index) => {
    const user = new User(patientEmails[index + 1], `${patient.givenName} ${patient.familyName}`);
    user.patient = fork.getReference(Patient, patient.id);
    return user;
  });
  await fork.persist(others).flush();
  return [cast.patientUser, ...others.map((user, index) => ({ id: user.id, role: Role.PATIENT, organizationId: null, patientId: cast.patients[index + 1].id }))];
}

/**
 * The demo's story, told through the services the API uses, in the order it would happen: the
 * patients consent, the prescriber records their history and prescribes, the pharmacy fills and
 * delivers, the lab sends lithium levels (one critical), Riley is referred to the local clinic,
 * and Maple Street's PCP reads Avery's summary (so Avery sees who read the record).
 */
export async function tellDemoStory(em: EntityManager, cast: DemoCast): Promise<void> {
  const patientUsers = await patientLogins(em, cast);
  await signConsents(em, cast, patientUsers);
  await recordClinicalHistory(em, cast);
  await prescribeAndDispense(em, cast);
  await receiveLabResults(em, cast);
  await referRiley(em, cast);
  await actAs(em, cast.staff.pcp, 'PatientSummary', ({ access }) =>
    access.disclose(cast.patients[0].id, [DataCategory.DEMOGRAPHICS, DataCategory.DIAGNOSES, DataCategory.MEDICATIONS, DataCategory.LABS, DataCategory.TREATMENT_SUMMARY]),
  );
}
