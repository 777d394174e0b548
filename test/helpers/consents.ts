import type { TokenClaims } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { RequestConsentDocument, SignConsentDocument, type RequestConsentInput } from '../generated/graphql';
import type { Harness } from './harness';
import type { World } from './world';

/**
 * The IOP clinician (or another program's, `by`) asks the world's first patient to consent: by
 * default to disclosing demographics to the world's practice for treatment, for a day. Returns the consent's id.
 */
export async function requestConsent(
  h: Harness,
  world: World,
  terms: Partial<RequestConsentInput> = {},
  by: TokenClaims = world.claims[Role.IOP_CLINICIAN],
): Promise<string> {
  const result = await h.graphql(
    RequestConsentDocument,
    {
      input: {
        patientId: world.patients[0].id,
        recipientOrganizationIds: [world.claims[Role.PCP].organizationId!],
        purpose: 'TREATMENT',
        categories: ['DEMOGRAPHICS'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        ...terms,
      },
    },
    await h.token(by),
  );
  if (!result.data) throw new Error(`consent request failed: ${JSON.stringify(result.errors)}`);
  return result.data.requestConsent.consent.id;
}

/** The world's patient signs the consent. */
export async function signConsent(h: Harness, world: World, consentId: string): Promise<void> {
  const result = await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, await h.token(world.claims[Role.PATIENT]));
  if (!result.data) throw new Error(`signing failed: ${JSON.stringify(result.errors)}`);
}
