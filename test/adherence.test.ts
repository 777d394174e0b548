import { loadConfig } from '../src/config';
import { adherenceOf, isRefillLate, type FillFact } from '../src/modules/pharmacy/adherence';

/** Hand-computed against the PQA definition of proportion of days covered; dates in 2026 (not a leap year). */
describe('proportion of days covered (PQA)', () => {
  it('one fill whose supply lasts exactly to the end date covers every day', () => {
    expect(adherenceOf([{ dispensedOn: '2026-01-01', daysSupply: 30 }], '2026-01-30')).toMatchObject({
      proportionOfDaysCovered: 1, windowStart: '2026-01-01', daysInWindow: 30, daysCovered: 30, nextFillDue: '2026-01-31', daysLate: -1,
    });
  });

  it('a gap after the supply runs out: 30 of the 60 days from 1 January to 1 March, 29 days late', () => {
    expect(adherenceOf([{ dispensedOn: '2026-01-01', daysSupply: 30 }], '2026-03-01')).toMatchObject({
      proportionOfDaysCovered: 0.5, daysInWindow: 60, daysCovered: 30, nextFillDue: '2026-01-31', daysLate: 29,
    });
  });

  it('an early refill is shifted forward to the day after the supply on hand runs out, not counted twice', () => {
    const fills = [
      { dispensedOn: '2026-01-01', daysSupply: 30 },
      { dispensedOn: '2026-01-21', daysSupply: 30 },
    ];
    // Shifted: 1–30 January, then 31 January–1 March: all 60 days. Unshifted it would be 50.
    expect(adherenceOf(fills, '2026-03-01')).toMatchObject({ proportionOfDaysCovered: 1, daysCovered: 60, daysInWindow: 60 });
    // The next fill is due from the last fill's date and supply, as the measure defines it.
    expect(adherenceOf(fills, '2026-03-01')).toMatchObject({ nextFillDue: '2026-02-20', daysLate: 9 });
  });

  it('gaps between fills are not covered', () => {
    const fills = [
      { dispensedOn: '2026-01-21', daysSupply: 10 },
      { dispensedOn: '2026-01-01', daysSupply: 10 },
    ];
    expect(adherenceOf(fills, '2026-01-30')).toMatchObject({ proportionOfDaysCovered: 20 / 30, daysCovered: 20, windowStart: '2026-01-01' });
  });

  it('supply beyond the end date does not count, so the PDC is capped at 1', () => {
    expect(adherenceOf([{ dispensedOn: '2026-01-01', daysSupply: 90 }], '2026-01-10')).toMatchObject({ proportionOfDaysCovered: 1, daysCovered: 10, daysInWindow: 10 });
    const stockpiled = [1, 2, 3].map(() => ({ dispensedOn: '2026-01-01', daysSupply: 30 }));
    expect(adherenceOf(stockpiled, '2026-02-15').proportionOfDaysCovered).toBe(1);
  });

  it('the window opens at the first fill: a fill on the end date alone covers its one day', () => {
    expect(adherenceOf([{ dispensedOn: '2026-03-01', daysSupply: 30 }], '2026-03-01')).toMatchObject({ proportionOfDaysCovered: 1, daysInWindow: 1, daysCovered: 1 });
  });

  it('fills after the end date, or before a bounded window, are not counted; no fill gives no measure', () => {
    expect(adherenceOf([{ dispensedOn: '2026-03-02', daysSupply: 30 }], '2026-03-01')).toMatchObject({ proportionOfDaysCovered: null, daysLate: null, nextFillDue: null });
    const fills = [
      { dispensedOn: '2025-06-01', daysSupply: 30 },
      { dispensedOn: '2026-02-01', daysSupply: 14 },
    ];
    // A 30-day window ending 2 March holds only the February fill: 1–14 February of 1 February–2 March (30 days).
    expect(adherenceOf(fills, '2026-03-02', 30)).toMatchObject({ windowStart: '2026-02-01', daysInWindow: 30, daysCovered: 14 });
  });

  it('properties over random fills: between the union of the raw supplies and their sum, never above 1', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const day = (offset: number) => new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
    for (let run = 0; run < 300; run++) {
      const fills: FillFact[] = Array.from({ length: 1 + random(6) }, () => ({ dispensedOn: day(random(120)), daysSupply: 1 + random(45) }));
      const endOffset = 60 + random(120);
      const result = adherenceOf(fills, day(endOffset));
      const counted = fills.filter((fill) => fill.dispensedOn <= day(endOffset));
      if (counted.length === 0) {
        expect(result.proportionOfDaysCovered).toBeNull();
        continue;
      }
      const start = Math.min(...counted.map((fill) => (Date.parse(fill.dispensedOn) - Date.UTC(2026, 0, 1)) / 86_400_000));
      const union = new Set<number>();
      for (const fill of counted) {
        const from = (Date.parse(fill.dispensedOn) - Date.UTC(2026, 0, 1)) / 86_400_000;
        for (let d = from; d < from + fill.daysSupply && d <= endOffset; d++) union.add(d);
      }
      const supply = counted.reduce((sum, fill) => sum + fill.daysSupply, 0);
      expect(result.daysInWindow).toBe(endOffset - start + 1);
      expect(result.daysCovered).toBeGreaterThanOrEqual(union.size);
      expect(result.daysCovered).toBeLessThanOrEqual(Math.min(supply, result.daysInWindow));
      expect(result.proportionOfDaysCovered).toBeLessThanOrEqual(1);
      expect(result.proportionOfDaysCovered).toBeCloseTo(result.daysCovered / result.daysInWindow, 12);
    }
  });
});

describe('a late refill', () => {
  it('is late only beyond the threshold, with a fill to be late for and a refill left', () => {
    expect(isRefillLate({ daysLate: 8 }, 7)).toBe(true);
    expect(isRefillLate({ daysLate: 7 }, 7)).toBe(false);
    expect(isRefillLate({ daysLate: null }, 0)).toBe(false);
    expect(isRefillLate({ daysLate: 30 }, 7, 0)).toBe(false);
  });

  it('takes its threshold from REFILL_LATE_DAYS, 7 by default', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: 'postgresql://x@127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig(base).REFILL_LATE_DAYS).toBe(7);
    expect(loadConfig({ ...base, REFILL_LATE_DAYS: '3' }).REFILL_LATE_DAYS).toBe(3);
    expect(() => loadConfig({ ...base, REFILL_LATE_DAYS: '-1' })).toThrow();
  });
});
