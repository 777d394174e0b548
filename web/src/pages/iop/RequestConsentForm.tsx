import { useState, type FormEvent } from 'react';
import { useSession } from '../../auth/session';
import { ApiErrorMessage, categoryLabel } from '../../components/ApiErrorMessage';
import { dayStart } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import { OrganizationsDocument, RequestConsentDocument, type DataCategory, type Purpose } from '../../generated/graphql';

/** What a program may ask a patient to share (psychotherapy notes never leave the IOP). */
export const shareableCategories: DataCategory[] = ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'LABS', 'TREATMENT_SUMMARY', 'SUD'];
const purposes: Purpose[] = ['TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST'];

const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);

/** Asks the patient for a release-of-information consent: recipient, categories (SUD only when ticked), purpose, dates. */
export function RequestConsentForm({
  patientId,
  initialRecipientId,
  initialCategories = ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS'],
  onRequested,
}: {
  patientId: string;
  initialRecipientId?: string;
  initialCategories?: readonly DataCategory[];
  onRequested: (consentId: string) => void;
}) {
  const { me } = useSession();
  const organizations = useApiQuery(OrganizationsDocument, { first: 100 });
  const request = useApiMutation(RequestConsentDocument);
  const [recipientId, setRecipientId] = useState(initialRecipientId ?? '');
  const [categories, setCategories] = useState<DataCategory[]>([...initialCategories]);
  const [purpose, setPurpose] = useState<Purpose>('TREATMENT');
  const [startsOn, setStartsOn] = useState('');
  const [expiresOn, setExpiresOn] = useState(inAYear);
  const [endOfTreatment, setEndOfTreatment] = useState(false);
  const recipients = (organizations.answer?.data.organizations.edges ?? []).map((edge) => edge.node).filter((organization) => organization.id !== me.organization?.id);

  const toggle = (category: DataCategory) =>
    setCategories((chosen) => (chosen.includes(category) ? chosen.filter((each) => each !== category) : [...chosen, category]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void request
      .run({
        input: {
          patientId,
          recipientOrganizationIds: recipientId ? [recipientId] : [],
          categories,
          purpose,
          startsAt: startsOn ? dayStart(startsOn) : null,
          expiresAt: endOfTreatment || !expiresOn ? null : dayStart(expiresOn),
          expiryEvent: endOfTreatment ? 'END_OF_TREATMENT' : null,
        },
      })
      .then((answer) => answer && onRequested(answer.data.requestConsent.consent.id));
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Request a consent">
      {organizations.error && <ApiErrorMessage error={organizations.error} context="Organizations" />}
      <div className="field">
        <label htmlFor={`consent-recipient-${patientId}`}>Share with</label>
        <select id={`consent-recipient-${patientId}`} value={recipientId} onChange={(event) => setRecipientId(event.target.value)} required>
          <option value="">Choose an organization</option>
          {recipients.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name} ({organization.kind.toLowerCase().replace(/_/g, ' ')})
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>What to share</legend>
        {shareableCategories.map((category) => (
          <label key={category} className="check">
            <input type="checkbox" checked={categories.includes(category)} onChange={() => toggle(category)} /> {categoryLabel(category)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`consent-purpose-${patientId}`}>Purpose</label>
        <select id={`consent-purpose-${patientId}`} value={purpose} onChange={(event) => setPurpose(event.target.value as Purpose)}>
          {purposes.map((each) => (
            <option key={each} value={each}>
              {each.toLowerCase().replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`consent-starts-${patientId}`}>Starts on (empty: when signed)</label>
        <input id={`consent-starts-${patientId}`} type="date" value={startsOn} onChange={(event) => setStartsOn(event.target.value)} />
      </div>
      <label className="check">
        <input type="checkbox" checked={endOfTreatment} onChange={(event) => setEndOfTreatment(event.target.checked)} /> Expires at the end of treatment
      </label>
      {!endOfTreatment && (
        <div className="field">
          <label htmlFor={`consent-expires-${patientId}`}>Expires on</label>
          <input id={`consent-expires-${patientId}`} type="date" value={expiresOn} onChange={(event) => setExpiresOn(event.target.value)} required />
        </div>
      )}
      {request.error && <ApiErrorMessage error={request.error} context="Consent not requested" />}
      <button type="submit" disabled={request.busy || categories.length === 0}>
        Request consent
      </button>
    </form>
  );
}
