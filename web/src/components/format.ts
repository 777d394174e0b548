/** Dates as staff read them, in the browser's locale and time zone. */
export const formatDateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** A calendar date (LocalDate, YYYY-MM-DD) or the day of a DateTime. */
export const formatDate = (value: string | null | undefined) =>
  value ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: value.length === 10 ? 'UTC' : undefined }) : '—';

/** An enum value in words: IN_PROGRESS → "in progress". */
export const enumWords = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** A date input's value (YYYY-MM-DD) as the start of that day in UTC, for a DateTime argument. */
export const dayStart = (day: string) => `${day}T00:00:00.000Z`;
