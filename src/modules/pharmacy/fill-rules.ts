import { assertTransition } from '../../db/state-machine';
import { BadInputError, ConflictError } from '../../errors';
import { PrescriptionStatus } from '../medications/prescription.entity';
import { DispensingStatus, dispensingStatusOf, fillTransitions, FillStatus, NotDispensedReason } from './dispensing-status';
import { ndcFormats, normalizedNdc } from './ndc';

/** A fill as a pharmacist reports it (NCPDP SCRIPT RxFill); which fields are needed depends on the status. */
export interface FillReport {
  fillNumber: number;
  status: FillStatus;
  quantity?: number | null;
  remainingQuantity?: number | null;
  daysSupply?: number | null;
  ndc?: string | null;
  lotNumber?: string | null;
  dispensedOn?: string | null;
  reason?: NotDispensedReason | null;
  note?: string | null;
  transferredToId?: string | null;
}

/** The report's values as a dispense record keeps them (NDC in its 11-digit form). */
export type CheckedFill = Omit<FillReport, 'transferredToId'>;

/** A fill already recorded for the prescription. */
export interface RecordedFill {
  fillNumber: number;
  fillStatus: FillStatus;
  dispensedQuantity: number | null;
}

export interface FilledPrescription {
  refills: number;
  quantity: number | null;
  prescriptionStatus: PrescriptionStatus;
}

export const handsOver = (status: FillStatus): boolean => status === FillStatus.DISPENSED || status === FillStatus.PARTIALLY_DISPENSED;

function required<K extends keyof FillReport>(report: FillReport, field: K, what: string): NonNullable<FillReport[K]> {
  const value = report[field];
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    throw new BadInputError(`A ${report.status} fill needs ${what}`, { field });
  }
  return value;
}

/** Checks a report on its own (what its status requires, the NDC's format, dates and amounts); the prescription is checked by `assertFillAllowed`. */
export function checkedFill(report: FillReport, today: string = new Date().toISOString().slice(0, 10)): CheckedFill {
  const { status } = report;
  if (!Number.isInteger(report.fillNumber) || report.fillNumber < 0) throw new BadInputError('The fill number is 0 for the first fill, 1 for the first refill…', { field: 'fillNumber' });
  const checked: CheckedFill = { fillNumber: report.fillNumber, status, note: report.note?.trim() || null };
  if (handsOver(status)) {
    checked.quantity = required(report, 'quantity', 'the quantity dispensed');
    checked.daysSupply = required(report, 'daysSupply', "the days' supply");
    checked.dispensedOn = required(report, 'dispensedOn', 'the date dispensed');
    if (!(checked.quantity > 0)) throw new BadInputError('The quantity dispensed must be more than 0', { field: 'quantity' });
    if (!Number.isInteger(checked.daysSupply) || checked.daysSupply < 1 || checked.daysSupply > 365) {
      throw new BadInputError("The days' supply is a whole number of days from 1 to 365", { field: 'daysSupply' });
    }
    if (checked.dispensedOn > today) throw new BadInputError('The date dispensed cannot be in the future', { field: 'dispensedOn' });
    const ndc = status === FillStatus.DISPENSED ? required(report, 'ndc', 'the NDC') : report.ndc;
    if (ndc) {
      checked.ndc = normalizedNdc(ndc);
      if (!checked.ndc) throw new BadInputError(`The NDC must be ${ndcFormats}`, { field: 'ndc' });
    }
    checked.lotNumber = status === FillStatus.DISPENSED ? required(report, 'lotNumber', 'the lot number') : (report.lotNumber ?? null);
  }
  if (status === FillStatus.PARTIALLY_DISPENSED) {
    checked.remainingQuantity = required(report, 'remainingQuantity', 'the quantity remaining');
    if (!(checked.remainingQuantity > 0)) throw new BadInputError('A partial fill leaves a quantity to dispense, more than 0', { field: 'remainingQuantity' });
  }
  if (status === FillStatus.NOT_DISPENSED) {
    checked.reason = required(report, 'reason', 'a reason');
    if (checked.reason === NotDispensedReason.CLINICAL_CONCERN && !checked.note) {
      throw new BadInputError('A clinical concern needs a note saying what it is', { field: 'note' });
    }
  }
  if (status === FillStatus.TRANSFERRED) required(report, 'transferredToId', 'the pharmacy it goes to');
  return checked;
}

/** Where one fill stands: its latest record's status, NEW with none. */
export function fillState(history: readonly RecordedFill[], fillNumber: number): DispensingStatus {
  const records = history.filter((fill) => fill.fillNumber === fillNumber);
  return records.length ? dispensingStatusOf(records[records.length - 1].fillStatus) : DispensingStatus.NEW;
}

/**
 * Refuses a fill the prescription does not allow, given its fills so far (oldest first): beyond
 * 1 + refills fills, after a transfer, before the previous fill was dispensed, a move the fill's
 * state table refuses (a dispensed fill again…), more than the prescribed quantity in one fill,
 * or medication handed over on a stopped prescription.
 */
export function assertFillAllowed(prescription: FilledPrescription, history: readonly RecordedFill[], fill: CheckedFill): void {
  const { fillNumber, status } = fill;
  if (fillNumber > prescription.refills) {
    throw new BadInputError(`Fill ${fillNumber} is beyond this prescription: it allows ${prescription.refills + 1} fill(s), numbered 0 to ${prescription.refills}`, {
      field: 'fillNumber',
    });
  }
  if (history.some((recorded) => recorded.fillStatus === FillStatus.TRANSFERRED)) {
    throw new ConflictError('The prescription was transferred to another pharmacy, which fills it now');
  }
  if (handsOver(status) && prescription.prescriptionStatus !== PrescriptionStatus.ACTIVE) {
    throw new ConflictError('The prescription was stopped: it is not to be dispensed');
  }
  if (fillNumber > 0 && fillState(history, fillNumber - 1) !== DispensingStatus.DISPENSED) {
    throw new ConflictError(`Fill ${fillNumber - 1} has not been dispensed yet`, { fillNumber });
  }
  assertTransition(fillTransitions, `Fill ${fillNumber}`, fillState(history, fillNumber), dispensingStatusOf(status));
  if (handsOver(status) && prescription.quantity !== null) {
    const already = history.filter((recorded) => recorded.fillNumber === fillNumber).reduce((sum, recorded) => sum + (recorded.dispensedQuantity ?? 0), 0);
    if (already + fill.quantity! > prescription.quantity) {
      throw new BadInputError(`Fill ${fillNumber} would hand over ${already + fill.quantity!}, more than the ${prescription.quantity} prescribed`, { field: 'quantity' });
    }
  }
}
