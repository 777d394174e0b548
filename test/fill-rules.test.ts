import { PrescriptionStatus } from '../src/modules/medications/prescription.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Role } from '../src/auth/roles';
import { consentsDisclosing, isPart2RecordOfAnother, mayDispense, type Reader, type RecordFacts } from '../src/modules/access/rules';
import { FillStatus, NotDispensedReason } from '../src/modules/pharmacy/dispensing-status';
import { assertFillAllowed, checkedFill, type RecordedFill } from '../src/modules/pharmacy/fill-rules';
import { normalizedNdc } from '../src/modules/pharmacy/ndc';

describe('NDC formats', () => {
  it.each([
    ['0002-3227-30', '00002-3227-30'],
    ['12345-678-90', '12345-0678-90'],
    ['12345-6789-1', '12345-6789-01'],
    ['12345-6789-01', '12345-6789-01'],
    ['12345678901', '12345-6789-01'],
    [' 50580-0506-02 ', '50580-0506-02'],
  ])('%s is the 11-digit %s', (text, expected) => expect(normalizedNdc(text)).toBe(expected));

  it.each(['1234567890', '1234-567-89', '123456-789-01', '12345-67890-1', '12345-6789-012', 'NDC 12345-6789-01', ''])('%s is refused', (text) => {
    expect(normalizedNdc(text)).toBeNull();
  });
});

const today = '2026-06-01';
const dispensed = { fillNumber: 0, status: FillStatus.DISPENSED, quantity: 30, daysSupply: 30, ndc: '0002-3227-30', lotNumber: 'L1', dispensedOn: '2026-05-30' };
const prescription = { refills: 1, quantity: 30, prescriptionStatus: PrescriptionStatus.ACTIVE };

describe('a fill report on its own', () => {
  it('keeps the NDC in its 11-digit form', () => {
    expect(checkedFill(dispensed, today)).toMatchObject({ ndc: '00002-3227-30', quantity: 30 });
  });

  it.each([
    ['a dispensed fill without NDC', { ...dispensed, ndc: null }, 'ndc'],
    ['an NDC of 10 bare digits', { ...dispensed, ndc: '0002322730' }, 'ndc'],
    ['a date in the future', { ...dispensed, dispensedOn: '2026-06-02' }, 'dispensedOn'],
    ["no days' supply", { ...dispensed, daysSupply: null }, 'daysSupply'],
    ['a partial fill with nothing remaining', { ...dispensed, status: FillStatus.PARTIALLY_DISPENSED, remainingQuantity: 0 }, 'remainingQuantity'],
    ['not dispensed without a reason', { fillNumber: 0, status: FillStatus.NOT_DISPENSED }, 'reason'],
    ['a clinical concern without a note', { fillNumber: 0, status: FillStatus.NOT_DISPENSED, reason: NotDispensedReason.CLINICAL_CONCERN, note: '  ' }, 'note'],
    ['a transfer to no pharmacy', { fillNumber: 0, status: FillStatus.TRANSFERRED }, 'transferredToId'],
    ['a negative fill number', { ...dispensed, fillNumber: -1 }, 'fillNumber'],
  ])('refuses %s', (_, report, field) => {
    expect(() => checkedFill(report, today)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field }) }));
  });
});

describe('a fill against the prescription', () => {
  const fill = (fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null = null): RecordedFill => ({ fillNumber, fillStatus, dispensedQuantity });
  const check = (history: RecordedFill[], report: Parameters<typeof checkedFill>[0]) => () => assertFillAllowed(prescription, history, checkedFill(report, today));

  it('allows 1 + refills fills, numbered from 0, each after the previous was dispensed', () => {
    expect(check([], dispensed)).not.toThrow();
    expect(check([fill(0, FillStatus.DISPENSED, 30)], { ...dispensed, fillNumber: 1 })).not.toThrow();
    expect(check([fill(0, FillStatus.DISPENSED, 30), fill(1, FillStatus.DISPENSED, 30)], { ...dispensed, fillNumber: 2 })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'Fill 2 is beyond this prescription: it allows 2 fill(s), numbered 0 to 1' }),
    );
    expect(check([fill(0, FillStatus.PARTIALLY_DISPENSED, 10)], { ...dispensed, fillNumber: 1 })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('completes a partial fill, refuses a fill dispensed twice, and never more than prescribed in one fill', () => {
    expect(check([fill(0, FillStatus.PARTIALLY_DISPENSED, 10)], { ...dispensed, quantity: 20 })).not.toThrow();
    expect(check([fill(0, FillStatus.PARTIALLY_DISPENSED, 10)], { ...dispensed, quantity: 21 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(check([fill(0, FillStatus.DISPENSED, 30)], dispensed)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'Fill 0 that is DISPENSED cannot become DISPENSED' }),
    );
    expect(check([fill(0, FillStatus.NOT_DISPENSED)], dispensed)).not.toThrow();
  });

  it('refuses anything after a transfer, and handing over a stopped prescription', () => {
    expect(check([fill(0, FillStatus.TRANSFERRED)], dispensed)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => assertFillAllowed({ ...prescription, prescriptionStatus: PrescriptionStatus.STOPPED }, [], checkedFill(dispensed, today))).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });
});

describe('dispensing and Part 2 rules', () => {
  const pharmacist: Reader = { userId: 'u1', role: Role.PHARMACIST, organizationId: 'pharmacy-a', patientId: null };

  it('a pharmacist sees a prescription only once routed to their own pharmacy', () => {
    expect(mayDispense(pharmacist, { pharmacyId: 'pharmacy-a', routed: true })).toBe(true);
    expect(mayDispense(pharmacist, { pharmacyId: 'pharmacy-a', routed: false })).toBe(false);
    expect(mayDispense(pharmacist, { pharmacyId: 'pharmacy-b', routed: true })).toBe(false);
    expect(mayDispense({ ...pharmacist, role: Role.IOP_CLINICIAN }, { pharmacyId: 'pharmacy-a', routed: true })).toBe(false);
  });

  it("a pharmacy's fill of a program's MOUD prescription is that program's Part 2 record", () => {
    const fill: RecordFacts = {
      id: 'f1',
      categories: [DataCategory.MEDICATIONS, DataCategory.SUD],
      source: { id: 'pharmacy-a', kind: OrganizationKind.PHARMACY },
      derivedFrom: { id: 'program-a', kind: OrganizationKind.IOP },
    };
    const staffOf = (organizationId: string): Reader => ({ userId: 'u2', role: Role.IOP_CLINICIAN, organizationId, patientId: null });
    expect(isPart2RecordOfAnother(staffOf('program-a'), fill)).toBe(false);
    expect(isPart2RecordOfAnother(staffOf('program-b'), fill)).toBe(true);
    expect(isPart2RecordOfAnother(staffOf('program-b'), { ...fill, derivedFrom: null })).toBe(false);
    const grant = {
      basis: 'CONSENT' as const,
      breakGlassId: null,
      consents: ['program-a', 'program-b'].map((programId) => ({ id: `c-${programId}`, programId, purpose: 'TREATMENT' as never, categories: [DataCategory.MEDICATIONS, DataCategory.SUD] })),
    };
    expect(consentsDisclosing(grant, 'TREATMENT' as never, fill).map((consent) => consent.id)).toEqual(['c-program-a']);
  });
});
