import { useParams } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { useApiQuery } from '../../components/useApiQuery';
import { ConsentDocument, OrganizationsDocument } from '../../generated/graphql';
import { ConsentState } from './ConsentState';

/** One consent, opened from its notification (requested, revoked, expired…). */
export function ConsentPage() {
  const { id } = useParams<{ id: string }>();
  const consent = useApiQuery(ConsentDocument, { id });
  const organizations = useApiQuery(OrganizationsDocument, { first: 100 });
  const names = new Map((organizations.answer?.data.organizations.edges ?? []).map(({ node }) => [node.id, node.name]));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Consent</h1>
      {consent.status === 'loading' && <p>Loading…</p>}
      {consent.error && <ApiErrorMessage error={consent.error} />}
      {consent.answer && <ConsentState consent={consent.answer.data.consent} organizationNames={names} />}
    </section>
  );
}
