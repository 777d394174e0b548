import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../db/state-machine';

/** What a pharmacy reports of one fill, as NCPDP SCRIPT RxFill has it. */
export enum FillStatus {
  DISPENSED = 'DISPENSED',
  PARTIALLY_DISPENSED = 'PARTIALLY_DISPENSED',
  NOT_DISPENSED = 'NOT_DISPENSED',
  TRANSFERRED = 'TRANSFERRED',
}
registerEnumType(FillStatus, { name: 'FillStatus', description: 'What a pharmacy reported of a fill (NCPDP SCRIPT RxFill).' });

/** Where a routed prescription stands at its pharmacy: NEW until a fill is reported, then the latest fill's status. */
export enum DispensingStatus {
  NEW = 'NEW',
  DISPENSED = 'DISPENSED',
  PARTIALLY_DISPENSED = 'PARTIALLY_DISPENSED',
  NOT_DISPENSED = 'NOT_DISPENSED',
  TRANSFERRED = 'TRANSFERRED',
}
registerEnumType(DispensingStatus, { name: 'DispensingStatus', description: "A routed prescription at its pharmacy: NEW, or its latest fill's status." });

export enum NotDispensedReason {
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  PRIOR_AUTHORIZATION_REQUIRED = 'PRIOR_AUTHORIZATION_REQUIRED',
  PATIENT_DECLINED = 'PATIENT_DECLINED',
  NOT_PICKED_UP = 'NOT_PICKED_UP',
  /** Needs a note saying what the concern is. */
  CLINICAL_CONCERN = 'CLINICAL_CONCERN',
}
registerEnumType(NotDispensedReason, { name: 'NotDispensedReason', valuesConfig: { CLINICAL_CONCERN: { description: 'Requires a note.' } } });

/**
 * One fill (fill number) moves through these states, each move a dispense record of its own. The
 * rest of a partial fill may be dispensed (or reported not dispensed, or transferred); a fill not
 * dispensed may be dispensed later (stock arrived, authorization given). A dispensed or
 * transferred fill is final.
 */
const { NEW, DISPENSED, PARTIALLY_DISPENSED, NOT_DISPENSED, TRANSFERRED } = DispensingStatus;
export const fillTransitions: Transitions<DispensingStatus> = {
  [NEW]: [DISPENSED, PARTIALLY_DISPENSED, NOT_DISPENSED, TRANSFERRED],
  [PARTIALLY_DISPENSED]: [PARTIALLY_DISPENSED, DISPENSED, NOT_DISPENSED, TRANSFERRED],
  [NOT_DISPENSED]: [DISPENSED, PARTIALLY_DISPENSED, TRANSFERRED],
  [DISPENSED]: [],
  [TRANSFERRED]: [],
};

/** The dispensing status a fill's status puts a prescription in. */
export const dispensingStatusOf = (status: FillStatus): DispensingStatus => DispensingStatus[status];
