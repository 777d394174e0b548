import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import { DataCategory, Purpose } from '../src/modules/consent/data-category';

/** The request's ledger of what was disclosed and what was left out; no database. */

const disclosure = (patientId: string, allowed: DataCategory[], consentId: string | null = null) => ({ patientId, purpose: Purpose.TREATMENT, allowed, consentId, breakGlassId: null });

it('gathers one audit row per patient, purpose and consent relied on, with every category disclosed', () => {
  const ledger = new DisclosureLedger();
  ledger.record(disclosure('p1', [DataCategory.DEMOGRAPHICS]));
  ledger.record(disclosure('p1', [DataCategory.LABS]));
  ledger.record(disclosure('p1', [DataCategory.LABS], 'consent'));
  ledger.record(disclosure('p2', [DataCategory.DEMOGRAPHICS]));
  expect(ledger.size).toBe(3);
  expect(ledger.includesSud).toBe(false);
  ledger.record(disclosure('p2', [DataCategory.SUD]));
  expect(ledger.includesSud).toBe(true);
});

it('counts distinct withheld records per patient, categories and reason, never a superseded version', () => {
  const ledger = new DisclosureLedger();
  ledger.withhold('p1', [DataCategory.SUD, DataCategory.LABS], [{ id: 'a' }, { id: 'b' }], 'why');
  ledger.withhold('p1', [DataCategory.LABS, DataCategory.SUD], [{ id: 'a' }, { id: 'old', isCurrent: false }], 'why');
  ledger.withhold('p1', [DataCategory.LABS], [{ id: 'old', isCurrent: false }], 'why');
  expect(ledger.withholdings).toEqual([{ patientId: 'p1', categories: [DataCategory.LABS, DataCategory.SUD], count: 2, reason: 'why' }]);
});

it('reports a whole category left out without a count', () => {
  const ledger = new DisclosureLedger();
  ledger.leaveOut('p1', DataCategory.LABS, 'closed');
  ledger.leaveOut('p1', DataCategory.LABS, 'closed');
  expect(ledger.withholdings).toEqual([{ patientId: 'p1', categories: [DataCategory.LABS], count: null, reason: 'closed' }]);
});
