import type { ReactNode } from 'react';
import type { ApiError } from '../../../api/client';
import { WithheldReason } from '../../../components/ConsentNotices';

/**
 * One section of the summary: its content, or the reason the API gave for withholding it (never
 * a blank), or `empty` when there is nothing to show. A reason that comes with content (records
 * left out) is shown under it.
 */
export function Section<T>({ id, title, value, errors, empty, children }: {
  id: string;
  title: string;
  value: T | null | undefined;
  errors: readonly ApiError[];
  empty: string;
  children: (value: NonNullable<T>) => ReactNode;
}) {
  const isEmpty = value == null || (Array.isArray(value) && value.length === 0);
  return (
    <section className="summary-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {!isEmpty && children(value)}
      {isEmpty && errors.length === 0 && <p className="empty">{empty}</p>}
      <WithheldReason errors={errors} />
    </section>
  );
}

/** Marks a record that is Part 2 (SUD) data. */
export function PartTwoBadge({ categories }: { categories: readonly string[] }) {
  return categories.includes('SUD') ? <span className="badge badge-sud">42 CFR Part 2</span> : null;
}
