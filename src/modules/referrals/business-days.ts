const dayMs = 24 * 60 * 60 * 1000;

const isWeekend = (at: Date) => at.getUTCDay() === 0 || at.getUTCDay() === 6;

/**
 * The moment `days` business days (Monday to Friday, UTC) after `start`. Started on a weekend, the
 * clock starts at the beginning of the Monday after it; each business day then counts in full, and
 * Saturdays and Sundays are stepped over: Friday 10:00 + 2 is Tuesday 10:00, Saturday 10:00 + 2 is
 * Wednesday 00:00.
 */
export function addBusinessDays(start: Date, days: number): Date {
  let at = new Date(start.getTime());
  if (isWeekend(at)) {
    at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    while (isWeekend(at)) at = new Date(at.getTime() + dayMs);
  }
  for (let counted = 0; counted < days; ) {
    at = new Date(at.getTime() + dayMs);
    if (!isWeekend(at)) counted += 1;
  }
  return at;
}
