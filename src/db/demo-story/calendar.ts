const dayMs = 86_400_000;

/** The story is told relative to the day it is seeded, so trends and due dates always look current. */
export const daysAgo = (days: number, now: Date = new Date()): Date => new Date(now.getTime() - days * dayMs);

export const daysAhead = (days: number, now: Date = new Date()): Date => daysAgo(-days, now);

/** `2026-12-01` */
export const dateOf = (at: Date): string => at.toISOString().slice(0, 10);

/** An HL7 v2 TS in UTC: `20261201083000`. */
export const hl7TimeOf = (at: Date): string => at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
