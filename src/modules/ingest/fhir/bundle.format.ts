import type { Bundle, OperationOutcomeIssue, Patient as FhirPatient } from '@medplum/fhirtypes';
import { describePatient, FhirImportService } from './fhir-import.service';
import { fhirIssues, issue } from './fhir-validation';
import { hasForbiddenControl, readInboundText, usableIdentifier } from '../inbound-text';
import type { InboundFormat } from '../inbound-format';
import { InboxSource } from '../inbox-message.entity';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** FHIR forbids control characters in strings (other than tab, CR and LF); JSON can still carry them escaped. */
function controlCharacterIssues(value: unknown, path: string): OperationOutcomeIssue[] {
  if (typeof value === 'string') {
    return hasForbiddenControl(value) ? [issue('error', 'invalid', 'A string contains control characters that FHIR does not allow', path)] : [];
  }
  if (Array.isArray(value)) return value.flatMap((each, index) => controlCharacterIssues(each, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, each]) => controlCharacterIssues(each, `${path}.${key}`));
  }
  return [];
}

/** The errors that refuse a Bundle (empty when it may be imported): all that the import needs is checked before the answer. */
function bundleErrors(parsed: unknown): OperationOutcomeIssue[] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [issue('error', 'structure', 'The body is not a JSON object')];
  if ((parsed as Bundle).resourceType !== 'Bundle') return [issue('error', 'structure', 'Expected a Bundle')];
  // FHIR validation first: it refuses a Bundle nested too deep for the recursive checks.
  const errors = fhirIssues(parsed).filter((each) => each.severity === 'error' || each.severity === 'fatal');
  return errors.length > 0 ? errors : controlCharacterIssues(parsed, 'Bundle');
}

/** The sender's id for a Bundle: `Bundle.identifier`, else `Bundle.id`; usable only when printable and not too long. */
function bundleIdOf(parsed: unknown): string | null {
  if (typeof parsed !== 'object' || parsed === null) return null;
  const bundle = parsed as Partial<Bundle>;
  const id: unknown = bundle.identifier?.value ?? bundle.id;
  return typeof id === 'string' ? usableIdentifier(id) : null;
}

const importer = new FhirImportService();
const bundleOf = (body: string) => JSON.parse(body) as Bundle;

/** A primary-care practice's FHIR R4 Bundle about one patient, as JSON (UTF-8, as FHIR requires). */
export const fhirBundleFormat: InboundFormat<OperationOutcomeIssue[]> = {
  source: InboxSource.FHIR,
  read(raw) {
    const read = readInboundText(raw, 'utf-8');
    if ('problem' in read) return { messageId: null, charset: 'utf-8', refusal: [issue('error', 'structure', read.problem)] };
    const parsed = parseJson(read.text);
    const errors = bundleErrors(parsed);
    return { messageId: bundleIdOf(parsed), charset: 'utf-8', refusal: errors.length > 0 ? errors : null };
  },
  reasonOf: (errors) => `invalid FHIR: ${errors.length} issue(s)`,
  async import(em, message, reviewedPatientId) {
    const result = await importer.import(em, message.sourceOrganizationId!, message.id, bundleOf(message.body), reviewedPatientId);
    if (result.status === 'ALREADY_DONE') return { status: 'SKIPPED', state: result.state };
    const notes = result.issues.map((each) => ({
      severity: each.severity,
      code: each.code,
      text: each.details?.text ?? each.diagnostics ?? '',
      ...(each.expression?.[0] ? { expression: each.expression[0] } : {}),
    }));
    if (result.status === 'HELD') return { status: 'HELD', reviewId: result.reviewId, notes };
    return { status: 'PROCESSED', patientId: result.patientId, created: result.created, notes };
  },
  patientOf(message) {
    const patient = bundleOf(message.body).entry?.find((entry) => entry.resource?.resourceType === 'Patient')?.resource as FhirPatient;
    return describePatient(patient);
  },
};
