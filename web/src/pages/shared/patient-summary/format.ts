/** Dates as the portal shows them: the local day, or day and time. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatMoment(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** An enum value in words: "OUT_FOR_DELIVERY" → "out for delivery". */
export function inWords(value: string): string {
  return value.toLowerCase().replace(/_/g, ' ');
}
