import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiErrorMessage, categoryLabel } from '../../components/ApiErrorMessage';
import { dayStart } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import {
  CreateReferralDocument,
  OrganizationsDocument,
  PortalReferralPatientDocument,
  ReferralPacketPreviewDocument,
  RequestConsentDocument,
  SendReferralDocument,
  type DataCategory,
  type ReferralFieldsFragment,
  type ReferralUrgency,
} from '../../generated/graphql';
import { PacketRecords } from './PacketRecords';

const requestable: DataCategory[] = ['DIAGNOSES', 'MEDICATIONS', 'LABS', 'TREATMENT_SUMMARY', 'SUD'];
const inAYear = () => dayStart(new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10));

function DraftForm({ patientId, onCreated }: { patientId: string; onCreated: (referral: ReferralFieldsFragment) => void }) {
  const recipients = useApiQuery(OrganizationsDocument, { first: 100 });
  const create = useApiMutation(CreateReferralDocument);
  const [recipientId, setRecipientId] = useState('');
  const [urgency, setUrgency] = useState<ReferralUrgency>('ROUTINE');
  const [service, setService] = useState('');
  const [reason, setReason] = useState('');
  const [question, setQuestion] = useState('');
  const [categories, setCategories] = useState<DataCategory[]>(['DIAGNOSES', 'MEDICATIONS']);
  const options = (recipients.answer?.data.organizations.edges ?? []).map((edge) => edge.node).filter((organization) => organization.kind === 'LOCAL_PROVIDER' || organization.kind === 'PRIMARY_CARE');
  const toggle = (category: DataCategory) => setCategories((chosen) => (chosen.includes(category) ? chosen.filter((each) => each !== category) : [...chosen, category]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create
      .run({ input: { patientId, recipientOrganizationId: recipientId, urgency, requestedService: service, reason, clinicalQuestion: question, requestedCategories: categories } })
      .then((answer) => answer && onCreated(answer.data.createReferral.referral));
  };
  return (
    <form onSubmit={submit} className="form" aria-label="New referral">
      {recipients.error && <ApiErrorMessage error={recipients.error} context="Recipients" />}
      <div className="field">
        <label htmlFor="referral-recipient">Refer to</label>
        <select id="referral-recipient" value={recipientId} onChange={(event) => setRecipientId(event.target.value)} required>
          <option value="">Choose a provider or practice</option>
          {options.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name} ({organization.kind === 'LOCAL_PROVIDER' ? 'local provider' : 'primary care'})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="referral-urgency">Urgency</label>
        <select id="referral-urgency" value={urgency} onChange={(event) => setUrgency(event.target.value as ReferralUrgency)}>
          <option value="ROUTINE">Routine</option>
          <option value="URGENT">Urgent</option>
          <option value="EMERGENT">Emergent</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="referral-service">Requested service</label>
        <input id="referral-service" value={service} onChange={(event) => setService(event.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="referral-reason">Reason</label>
        <textarea id="referral-reason" value={reason} onChange={(event) => setReason(event.target.value)} required rows={3} />
      </div>
      <div className="field">
        <label htmlFor="referral-question">Clinical question</label>
        <textarea id="referral-question" value={question} onChange={(event) => setQuestion(event.target.value)} required rows={2} />
      </div>
      <fieldset>
        <legend>Parts of the record to send</legend>
        {requestable.map((category) => (
          <label key={category} className="check">
            <input type="checkbox" checked={categories.includes(category)} onChange={() => toggle(category)} /> {categoryLabel(category)}
          </label>
        ))}
      </fieldset>
      {create.error && <ApiErrorMessage error={create.error} context="Not created" />}
      <button type="submit" disabled={create.busy}>
        Preview the packet
      </button>
    </form>
  );
}

function Preview({ referral, onSent }: { referral: ReferralFieldsFragment; onSent: (id: string) => void }) {
  const preview = useApiQuery(ReferralPacketPreviewDocument, { id: referral.id });
  const requestConsent = useApiMutation(RequestConsentDocument);
  const send = useApiMutation(SendReferralDocument);
  const [consentRequested, setConsentRequested] = useState<string | null>(null);
  const packet = preview.answer?.data.referralPacketPreview;
  const needed = packet?.consentNeeded;
  const askForConsent = () => {
    if (!needed) return;
    void requestConsent
      .run({ input: { patientId: needed.patientId, recipientOrganizationIds: [needed.recipientOrganizationId], categories: needed.categories, purpose: 'TREATMENT', expiresAt: inAYear() } })
      .then((answer) => answer && setConsentRequested(answer.data.requestConsent.consent.status));
  };
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Packet preview for {referral.recipientOrganization.name}</h2>
      <p>
        {referral.requestedService} · {referral.urgency.toLowerCase()}
      </p>
      {preview.status === 'loading' && <p>Loading…</p>}
      {preview.error && <ApiErrorMessage error={preview.error} />}
      {packet && <PacketRecords records={packet.records} withheld={packet.withheld} />}
      {packet?.nothingIncluded && <p className="notice">No clinical record would go: the referral itself (patient, reason, clinical question) is still sent.</p>}
      {needed && (
        <div className="notice consent-needed">
          <p>A consent naming {referral.recipientOrganization.name} for {needed.categories.map(categoryLabel).join(', ')} would let the withheld parts go.</p>
          {consentRequested ? (
            <p role="status">Consent requested ({consentRequested.toLowerCase()}): once the patient signs it, preview again.</p>
          ) : (
            <button type="button" onClick={askForConsent} disabled={requestConsent.busy}>
              Request consent
            </button>
          )}
          {requestConsent.error && <ApiErrorMessage error={requestConsent.error} context="Consent not requested" />}
        </div>
      )}
      {send.error && <ApiErrorMessage error={send.error} context="Not sent" />}
      <div className="button-row">
        <button type="button" className="secondary" onClick={preview.reload}>
          Preview again
        </button>
        <button type="button" disabled={send.busy} onClick={() => void send.run({ id: referral.id, expectedVersion: referral.version }).then((answer) => answer && onSent(referral.id))}>
          Send referral
        </button>
      </div>
    </section>
  );
}

/** A new referral: write it, preview what the consents let go (and ask for the one missing), send it. */
export function NewReferralPage() {
  const patientId = new URLSearchParams(useSearch()).get('patient') ?? '';
  const [, navigate] = useLocation();
  const patient = useApiQuery(PortalReferralPatientDocument, { id: patientId });
  const [draft, setDraft] = useState<ReferralFieldsFragment | null>(null);
  const person = patient.answer?.data.patient;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">New referral{person ? ` for ${person.givenName} ${person.familyName}` : ''}</h1>
      <p>
        <Link href="/referrals">Referrals sent</Link>
      </p>
      {!patientId && <p role="alert" className="error">Choose the patient first: “Send a referral” beside a patient on the program dashboard.</p>}
      {patient.error && patientId && <ApiErrorMessage error={patient.error} />}
      {person && (draft ? <Preview referral={draft} onSent={(id) => navigate(`/referrals/${id}`)} /> : <DraftForm patientId={person.id} onCreated={setDraft} />)}
    </section>
  );
}
