import type { ApiError } from '../api/client';

const categoryNames: Record<string, string> = {
  DEMOGRAPHICS: 'demographics',
  DIAGNOSES: 'diagnoses',
  MEDICATIONS: 'medications',
  LABS: 'labs',
  TREATMENT_SUMMARY: 'treatment summary',
  SUD: 'substance use disorder (42 CFR Part 2)',
  PSYCHOTHERAPY_NOTES: 'psychotherapy notes',
};

export const categoryName = (category: string): string => categoryNames[category] ?? category.toLowerCase();

/** Why the API left something out: its message, and for a consent, which categories none covers. */
export function WithheldReason({ errors }: { errors: readonly ApiError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="withheld" role="note">
      {errors.map((error, index) => (
        <p key={index}>
          <strong>{error.code === 'CONSENT_REQUIRED' ? 'Withheld: ' : 'Not available: '}</strong>
          {error.message}
          {error.code === 'CONSENT_REQUIRED' && error.categories.length > 0 && (
            <> (consent needed for {error.categories.map(categoryName).join(', ')})</>
          )}
        </p>
      ))}
    </div>
  );
}

/** The 42 CFR §2.32 notice, shown wherever an answer held Part 2 (SUD) data. */
export function RedisclosureNotice({ notice }: { notice: string | null }) {
  if (!notice) return null;
  return (
    <aside className="notice" aria-label="42 CFR Part 2 redisclosure notice">
      <p>
        <strong>42 CFR Part 2 notice.</strong> {notice}
      </p>
    </aside>
  );
}
