/**
 * Adherence from dispensing records, as plain functions of plain facts (dates as YYYY-MM-DD).
 *
 * Proportion of days covered (PDC) follows the Pharmacy Quality Alliance method: the window opens
 * on the first fill's date and closes on the end date (both days counted); each fill covers its
 * days' supply from its date, but a fill that arrives while an earlier supply is still on hand
 * starts the day after that supply runs out (overlaps shift forward, so stockpiling is not
 * double-counted); days beyond the window do not count; PDC = covered days / days in the window,
 * so it never exceeds 1.
 */

export interface FillFact {
  /** The day the medication was handed over or shipped. */
  dispensedOn: string;
  daysSupply: number;
}

export interface Adherence {
  /** Proportion of days covered over the window, 0 to 1; null with no fill on or before the end date. */
  proportionOfDaysCovered: number | null;
  /** First and last day of the window (the first fill's date, the end date). */
  windowStart: string | null;
  windowEnd: string;
  daysInWindow: number;
  daysCovered: number;
  /** When the next fill is due: the last fill's date plus its days' supply. */
  nextFillDue: string | null;
  /** Days past that date on the end date (negative: days still to go); null with no fill. */
  daysLate: number | null;
}

const dayMs = 86_400_000;
const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);
const dateOf = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);

/** The days (as day numbers) the fills cover, overlaps shifted forward, in the order the fills were made. */
function coveredRuns(fills: readonly FillFact[]): { from: number; days: number }[] {
  const ordered = [...fills].filter((fill) => fill.daysSupply > 0).sort((a, b) => dayNumber(a.dispensedOn) - dayNumber(b.dispensedOn));
  const runs: { from: number; days: number }[] = [];
  let suppliedThrough = -Infinity;
  for (const fill of ordered) {
    const from = Math.max(dayNumber(fill.dispensedOn), suppliedThrough + 1);
    runs.push({ from, days: fill.daysSupply });
    suppliedThrough = from + fill.daysSupply - 1;
  }
  return runs;
}

/**
 * PDC and refill timing for one medication's fills on `endDate` (usually today). Fills after the
 * end date are not counted; `windowDays` bounds the window to the last days before the end date
 * (the window still opens no earlier than the first fill within it).
 */
export function adherenceOf(fills: readonly FillFact[], endDate: string, windowDays?: number): Adherence {
  const end = dayNumber(endDate);
  const earliest = windowDays === undefined ? -Infinity : end - windowDays + 1;
  const counted = fills.filter((fill) => dayNumber(fill.dispensedOn) <= end && dayNumber(fill.dispensedOn) >= earliest);
  if (counted.length === 0) {
    return { proportionOfDaysCovered: null, windowStart: null, windowEnd: endDate, daysInWindow: 0, daysCovered: 0, nextFillDue: null, daysLate: null };
  }
  const start = Math.min(...counted.map((fill) => dayNumber(fill.dispensedOn)));
  let covered = 0;
  for (const run of coveredRuns(counted)) {
    const first = Math.max(run.from, start);
    const last = Math.min(run.from + run.days - 1, end);
    if (last >= first) covered += last - first + 1;
  }
  const daysInWindow = end - start + 1;
  const last = [...counted].sort((a, b) => dayNumber(b.dispensedOn) - dayNumber(a.dispensedOn))[0];
  const due = dayNumber(last.dispensedOn) + last.daysSupply;
  return {
    proportionOfDaysCovered: Math.min(1, covered / daysInWindow),
    windowStart: dateOf(start),
    windowEnd: endDate,
    daysInWindow,
    daysCovered: covered,
    nextFillDue: dateOf(due),
    daysLate: end - due,
  };
}

/**
 * Whether a refill is late enough to raise an alert: more than `thresholdDays` (REFILL_LATE_DAYS)
 * past the day it was due. A medication with no fill yet, or no refill left, is never late.
 */
export function isRefillLate(adherence: Pick<Adherence, 'daysLate'>, thresholdDays: number, refillsRemaining = 1): boolean {
  return refillsRemaining > 0 && adherence.daysLate !== null && adherence.daysLate > thresholdDays;
}
