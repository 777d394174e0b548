import type { ApiError } from '../api/client';

const categoryWords: Record<string, string> = {
  DEMOGRAPHICS: 'demographics',
  MEDICATIONS: 'medications',
  LABS: 'lab results',
  DIAGNOSES: 'diagnoses',
  TREATMENT_SUMMARY: 'treatment summary',
  SUD: 'substance use disorder (42 CFR Part 2) records',
  PSYCHOTHERAPY_NOTES: 'psychotherapy notes',
};

/** A data category in words, as the portal names it. */
export const categoryLabel = (category: string) => categoryWords[category] ?? category.toLowerCase();

/** Why the API refused: the consent missing (and for which categories), a version conflict, or the API's own message. */
export function explain(error: ApiError): string {
  switch (error.code) {
    case 'CONSENT_REQUIRED':
      return error.categories.length > 0
        ? `No consent in force covers ${error.categories.map(categoryLabel).join(', ')}. ${error.message}`
        : error.message;
    case 'CONFLICT':
      return `${error.message} Someone else may have changed it meanwhile: the page shows it as it is now.`;
    case 'NOT_FOUND':
      return 'Not found, or not yours to see.';
    default:
      return error.message;
  }
}

/** A refused or failed request, announced to assistive technology, never a blank. */
export function ApiErrorMessage({ error, context }: { error: ApiError; context?: string }) {
  return (
    <p role="alert" className="error" data-code={error.code}>
      {context ? `${context}: ` : ''}
      {explain(error)}
    </p>
  );
}
