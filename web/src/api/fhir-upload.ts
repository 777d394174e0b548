import { currentToken } from '../auth/token';

/** One issue of the OperationOutcome the ingest route answers with. */
export interface OutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  text: string;
  expression: string | null;
}

export interface IngestAnswer {
  status: number;
  /** Where to read what became of the Bundle later (`Content-Location`), when it was stored. */
  location: string | null;
  issues: OutcomeIssue[];
}

interface WireOutcome {
  issue?: { severity?: OutcomeIssue['severity']; code?: string; details?: { text?: string }; diagnostics?: string; expression?: string[] }[];
}

async function answerOf(response: Response): Promise<IngestAnswer> {
  const body = (await response.json().catch(() => ({}))) as WireOutcome;
  return {
    status: response.status,
    location: response.headers.get('content-location'),
    issues: (body.issue ?? []).map((issue) => ({
      severity: issue.severity ?? 'error',
      code: issue.code ?? 'unknown',
      text: issue.details?.text ?? issue.diagnostics ?? '',
      expression: issue.expression?.join(', ') ?? null,
    })),
  };
}

const authorization = (): Record<string, string> => {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** Sends a FHIR R4 Bundle to POST /ingest/fhir with the session's token, as the practice's EHR would. */
export async function sendFhirBundle(bundle: Blob): Promise<IngestAnswer> {
  return answerOf(await fetch('/ingest/fhir', { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...authorization() }, body: bundle }));
}

/** What became of a Bundle sent earlier (GET on its Content-Location). */
export async function fhirBundleOutcome(location: string): Promise<IngestAnswer> {
  return answerOf(await fetch(location, { headers: authorization() }));
}
