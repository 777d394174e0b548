import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import type { ConsentTerms } from '../../modules/consent/consent.entity';
import { ConsentService } from '../../modules/consent/consent.service';
import { DataCategory, Purpose } from '../../modules/consent/data-category';
import type { DemoCast } from '../seed';
import { actAs } from './acting';
import { daysAgo, daysAhead } from './calendar';

const consents = new ConsentService();

/** The categories a practice needs to co-manage a patient (the shared treatment summary). */
const summaryCategories = [DataCategory.DEMOGRAPHICS, DataCategory.DIAGNOSES, DataCategory.MEDICATIONS, DataCategory.LABS, DataCategory.TREATMENT_SUMMARY];

function termsFor(recipientOrganizationIds: string[], categories: DataCategory[]): ConsentTerms {
  return {
    recipientOrganizationIds,
    recipientUserIds: [],
    purpose: Purpose.TREATMENT,
    categories,
    startsAt: daysAgo(150),
    expiresAt: daysAhead(365),
    expiryEvent: null,
  };
}

/** The prescriber asks for a consent; the patient signs it (or leaves it waiting when `sign` is false). Returns its id. */
async function consentOf(em: EntityManager, cast: DemoCast, patientUser: RequestUser, terms: ConsentTerms, sign = true): Promise<string> {
  const requested = await actAs(em, cast.staff.prescriber, 'RequestConsent', ({ em: fork, access, user }) =>
    consents.request(fork, access, user, patientUser.patientId!, terms),
  );
  if (sign) {
    await actAs(em, patientUser, 'SignConsent', ({ em: fork, user }) =>
      consents.decide(fork, user, requested.id, (consent) => consent.sign(requested.patient.givenName + ' ' + requested.patient.familyName, true, user.id)),
    );
  }
  return requested.id;
}

/**
 * Avery shares the summary with Maple Street and medications with the pharmacy, and has a request
 * to share with the local clinic waiting; Jordan's consent lists SUD explicitly (42 CFR Part 2),
 * so the buprenorphine reaches the pharmacy and the practice sees it with the redisclosure notice;
 * Riley shares with the pharmacy and the local clinic (the referral's packet), not the practice,
 * so the PCP is refused Riley's record.
 */
export async function signConsents(em: EntityManager, cast: DemoCast, patientUsers: RequestUser[]): Promise<void> {
  const { practice, pharmacy, localProvider } = cast.organizations;
  const [avery, jordan, riley] = patientUsers;
  await consentOf(em, cast, avery, termsFor([practice, pharmacy], summaryCategories));
  await consentOf(em, cast, jordan, termsFor([practice, pharmacy], [...summaryCategories, DataCategory.SUD]));
  await consentOf(em, cast, riley, termsFor([pharmacy, localProvider], [DataCategory.DEMOGRAPHICS, DataCategory.DIAGNOSES, DataCategory.MEDICATIONS, DataCategory.TREATMENT_SUMMARY]));
  await consentOf(em, cast, avery, termsFor([localProvider], [DataCategory.DEMOGRAPHICS, DataCategory.DIAGNOSES]), false);
}
