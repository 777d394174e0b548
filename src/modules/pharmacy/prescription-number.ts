import type { EntityManager } from '@mikro-orm/postgresql';

/** The sequence the migration creates: 0…999999, never cycling (a number is never given twice). */
export const prescriptionNumberSequence = 'prescription_number_seq';

const numbers = 1_000_000;
// Coprime with 10^6 (neither even nor a multiple of 5), so `n ↦ (n × multiplier + offset) mod 10^6`
// is a bijection of 0…999999: distinct sequence values give distinct numbers.
const multiplier = 738_197;
const offset = 271_828;

/**
 * The number a sequence value stands for, `RX-` and 6 digits. A sequence makes numbers unique by
 * construction, with no retry on a unique violation (which would abort the whole prescribing
 * transaction in Postgres); scrambling the value keeps consecutive prescriptions from having
 * consecutive numbers, so a number tells nobody how many the hub wrote or which came next.
 */
export function prescriptionNumberOf(sequenceValue: number): string {
  if (!Number.isInteger(sequenceValue) || sequenceValue < 0 || sequenceValue >= numbers) throw new RangeError('No prescription numbers left');
  return `RX-${String((sequenceValue * multiplier + offset) % numbers).padStart(6, '0')}`;
}

/** The next prescription number, in the caller's transaction (a rolled-back one leaves a gap, never a duplicate). */
export async function nextPrescriptionNumber(em: EntityManager): Promise<string> {
  const [row] = await em.execute<{ value: string }[]>(`select nextval('${prescriptionNumberSequence}') as value`);
  return prescriptionNumberOf(Number(row.value));
}
