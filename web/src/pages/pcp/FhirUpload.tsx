import { useId, useState, type FormEvent } from 'react';
import { fhirBundleOutcome, sendFhirBundle, type IngestAnswer } from '../../api/fhir-upload';

const verdicts: Record<number, string> = {
  200: 'Received before: nothing changed.',
  202: 'Accepted: stored and queued for import.',
  400: 'Refused: the Bundle is not valid.',
  401: 'Refused: your session has ended; sign in again.',
  403: 'Refused: your organization may not send records.',
  404: 'Not found.',
  409: 'Refused: this Bundle id was already used for a different Bundle.',
  413: 'Refused: the file is too large.',
  415: 'Refused: not a FHIR JSON file.',
  503: 'Not stored: the hub could not keep it; send it again.',
};

/** Send a FHIR R4 Bundle (JSON file) to the hub, and show what the API answered. */
export function FhirUpload() {
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<IngestAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setSending(true);
    setFailure(null);
    try {
      setAnswer(await sendFhirBundle(file));
    } catch {
      setFailure('The server could not be reached; nothing was sent.');
    } finally {
      setSending(false);
    }
  }

  async function checkOutcome(location: string) {
    try {
      setAnswer({ ...(await fhirBundleOutcome(location)), location });
    } catch {
      setFailure('The server could not be reached.');
    }
  }

  return (
    <section aria-labelledby="fhir-upload-title" className="stack">
      <h2 id="fhir-upload-title">Send records (FHIR R4 Bundle)</h2>
      <form onSubmit={(event) => void send(event)} className="inline-form">
        <div>
          <label htmlFor={inputId}>Bundle file (.json)</label>
          <input id={inputId} type="file" accept=".json,application/json,application/fhir+json" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </div>
        <button type="submit" disabled={!file || sending}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </form>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {answer && (
        <div role="status" className={answer.status >= 400 ? 'error' : 'notice'} aria-label="What the hub answered">
          <p>
            <strong>
              {answer.status} — {verdicts[answer.status] ?? 'Unexpected answer.'}
            </strong>
          </p>
          {answer.issues.length > 0 && (
            <ul>
              {answer.issues.map((issue, index) => (
                <li key={index}>
                  {issue.severity}: {issue.text}
                  {issue.expression && (
                    <>
                      {' '}
                      (at <code>{issue.expression}</code>)
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {answer.location && (
            <button type="button" className="secondary" onClick={() => void checkOutcome(answer.location!)}>
              Check what became of it
            </button>
          )}
        </div>
      )}
    </section>
  );
}
