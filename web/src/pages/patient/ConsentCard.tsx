import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, request } from '../../api/client';
import { asApiError } from '../../api/errors';
import { categoryName, WithheldReason } from '../../components/ConsentNotices';
import {
  MyRecordConsentDocumentDocument,
  MyRecordDeclineConsentDocument,
  MyRecordRevokeConsentDocument,
  MyRecordSignConsentDocument,
  type MyRecordConsentsQuery,
} from '../../generated/graphql';
import { formatDay, formatMoment, inWords } from '../shared/patient-summary/format';

export type ConsentRow = NonNullable<MyRecordConsentsQuery['patient']['consents']>[number];

function pdfUrl(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}


/** The consent form as a PDF link, loaded when the patient asks for it. */
function ConsentForm({ consentId, onOpened }: { consentId: string; onOpened: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'not-ready'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);

  async function load() {
    setState('loading');
    setError(null);
    try {
      const { data } = await request(MyRecordConsentDocumentDocument, { id: consentId });
      if (!data.consent.documentPdf) return setState('not-ready');
      setUrl(pdfUrl(data.consent.documentPdf));
      setState('idle');
    } catch (failure) {
      setError(asApiError(failure));
      setState('idle');
    }
  }

  if (url) {
    return (
      <p>
        <a href={url} target="_blank" rel="noopener" download="consent-form.pdf" onClick={onOpened}>
          Open the consent form (PDF)
        </a>
      </p>
    );
  }
  return (
    <div>
      <button type="button" className="secondary" onClick={() => void load()} disabled={state === 'loading'}>
        {state === 'loading' ? 'Loading the form…' : 'Read the consent form'}
      </button>
      {state === 'not-ready' && <p role="status">The form is still being prepared. Try again in a moment.</p>}
      {error && <WithheldReason errors={[error]} />}
    </div>
  );
}

/** One consent: what it shares with whom, and what the patient may do with it now. */
export function ConsentCard({ consent, onChanged }: { consent: ConsentRow; onChanged: () => void }) {
  const nameId = useId();
  const revokeId = useId();
  const [hasRead, setHasRead] = useState(false);
  const [signedName, setSignedName] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const recipients = consent.recipientOrganizations.map((organization) => organization.name).join(', ') || 'the people named in it';
  const title = `${consent.program.name} → ${recipients}`;

  async function act(run: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await run();
      onChanged();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  }

  function sign(event: FormEvent) {
    event.preventDefault();
    void act(() => request(MyRecordSignConsentDocument, { consentId: consent.id, signedName: signedName.trim(), acknowledgeRightToRevoke: acknowledged }));
  }

  return (
    <article className="consent" aria-label={`Consent: ${title}`}>
      <h3>{title}</h3>
      <p>
        <span className="badge">{inWords(consent.status)}</span> Shares {consent.categories.map(categoryName).join(', ')} for {consent.purposeStatement ?? inWords(consent.purpose)}.
      </p>
      <p className="meta">
        Requested {formatDay(consent.createdAt)} · from {formatDay(consent.startsAt)}
        {consent.expiresAt && <> until {formatDay(consent.expiresAt)}</>}
        {consent.expiryEvent && <> · ends at {inWords(consent.expiryEvent)}</>}
        {consent.signedAt && (
          <>
            {' '}
            · signed {formatMoment(consent.signedAt)} as “{consent.signedName}”
          </>
        )}
      </p>
      {consent.status === 'REQUESTED' && (
        <div className="stack">
          <ConsentForm consentId={consent.id} onOpened={() => setHasRead(true)} />
          <form onSubmit={sign} className="stack">
            <div>
              <label htmlFor={nameId}>Type your full name to sign</label>
              <input id={nameId} value={signedName} onChange={(event) => setSignedName(event.target.value)} autoComplete="name" />
            </div>
            <label className="checkbox" htmlFor={revokeId}>
              <input id={revokeId} type="checkbox" checked={acknowledged} onChange={(event) => setAcknowledged(event.target.checked)} />
              <span>{consent.rightToRevoke}</span>
            </label>
            {!hasRead && <p className="meta">Open the consent form before signing.</p>}
            <div className="actions">
              <button type="submit" disabled={busy || !hasRead || !acknowledged || signedName.trim() === ''}>
                Sign
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => request(MyRecordDeclineConsentDocument, { consentId: consent.id }))}>
                Decline
              </button>
            </div>
          </form>
        </div>
      )}
      {consent.status === 'ACTIVE' && (
        <div className="actions">
          {!confirmRevoke ? (
            <button type="button" className="secondary" onClick={() => setConfirmRevoke(true)}>
              Revoke…
            </button>
          ) : (
            <>
              <p role="alert">Revoke this consent? From now on nothing more is shared under it.</p>
              <button type="button" disabled={busy} onClick={() => void act(() => request(MyRecordRevokeConsentDocument, { consentId: consent.id }))}>
                Yes, revoke
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmRevoke(false)}>
                Keep it
              </button>
            </>
          )}
        </div>
      )}
      {error && <WithheldReason errors={[error]} />}
    </article>
  );
}
