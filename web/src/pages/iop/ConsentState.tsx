import { categoryLabel } from '../../components/ApiErrorMessage';
import { formatDate, formatDateTime } from '../../components/format';
import type { ConsentStatus, DataCategory } from '../../generated/graphql';

const statusWords: Record<ConsentStatus, string> = {
  REQUESTED: 'requested, awaiting the patient’s signature',
  ACTIVE: 'active (signed)',
  DECLINED: 'declined by the patient',
  REVOKED: 'revoked by the patient',
  EXPIRED: 'expired',
};

interface ConsentSummary {
  id: string;
  status: ConsentStatus;
  categories: readonly DataCategory[];
  recipientOrganizationIds: readonly string[];
  purpose: string;
  expiresAt?: string | null;
  expiryEvent?: string | null;
  signedAt?: string | null;
}

/** A consent's state in words, what it covers, for whom and until when. */
export function ConsentState({ consent, organizationNames }: { consent: ConsentSummary; organizationNames: ReadonlyMap<string, string> }) {
  return (
    <div className="consent" data-consent-id={consent.id}>
      <p className="card-title">
        <span className={`status status-${consent.status.toLowerCase()}`}>{statusWords[consent.status]}</span>
      </p>
      <p>
        For {consent.recipientOrganizationIds.map((id) => organizationNames.get(id) ?? 'an organization').join(', ') || 'named people'}: {consent.categories.map(categoryLabel).join(', ')}; purpose{' '}
        {consent.purpose.toLowerCase().replace(/_/g, ' ')}; {consent.expiryEvent ? 'until the end of treatment' : `expires ${formatDate(consent.expiresAt)}`}
        {consent.signedAt ? `; signed ${formatDateTime(consent.signedAt)}` : ''}.
      </p>
    </div>
  );
}
