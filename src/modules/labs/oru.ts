import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { BadInputError } from '../../errors';
import type { InboundPatient } from '../patients/patient-matching';
import { uniqueIdentifiers, type SourceIdentifier } from '../patients/source-identifiers';
import { ResultStatus, type LabResultData } from './lab-result.entity';

/** An ORU^R01 as the hub needs it: who it is about and each result. */
export interface OruMessage {
  controlId: string;
  sendingApplication: string;
  patient: InboundPatient;
  results: (LabResultData & { setId: string })[];
}

/** OBX-11 result status (HL7 table 0085). */
const statusOf: Record<string, ResultStatus> = {
  F: ResultStatus.FINAL,
  C: ResultStatus.CORRECTED,
  P: ResultStatus.PRELIMINARY,
  R: ResultStatus.PRELIMINARY,
  I: ResultStatus.PRELIMINARY,
  S: ResultStatus.PRELIMINARY,
  X: ResultStatus.CANCELLED,
  D: ResultStatus.CANCELLED,
  W: ResultStatus.CANCELLED,
};

/**
 * HL7 escape sequences in text (\F\ \S\ \T\ \R\ \E\ and \X..\ hex); @medplum/core's parser leaves
 * them as they are. The separators are the message's own (MSH-1, MSH-2).
 */
export function unescapeHl7(text: string, separators = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' }): string {
  const esc = separators.escape;
  const pattern = new RegExp(`${esc.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}([FSTRE]|X[0-9A-Fa-f]+|\\.br)${esc.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`, 'g');
  return text.replace(pattern, (_match, code: string) => {
    switch (code) {
      case 'F':
        return separators.field;
      case 'S':
        return separators.component;
      case 'T':
        return separators.subcomponent;
      case 'R':
        return separators.repetition;
      case 'E':
        return separators.escape;
      case '.br':
        return '\n';
      default:
        return Buffer.from(code.slice(1), 'hex').toString('latin1');
    }
  });
}

/** An HL7 date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ]) as a Date; UTC when no offset is given. */
export function hl7DateTime(value: string): Date | null {
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$/.exec(value.trim());
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone = '+0000'] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${zone.slice(0, 3)}:${zone.slice(3)}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function hl7Date(value: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** "0.6-1.2", "<5", ">10", "negative": the numeric bounds it gives, and the text as sent. */
export function referenceRange(text: string): Pick<LabResultData, 'referenceLow' | 'referenceHigh' | 'referenceText'> {
  const range = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  const upper = /^\s*<=?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  const lower = /^\s*>=?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  return {
    referenceLow: range ? Number(range[1]) : lower ? Number(lower[1]) : null,
    referenceHigh: range ? Number(range[2]) : upper ? Number(upper[1]) : null,
    referenceText: text || null,
  };
}

/** The text with segments separated by CR, whatever line endings the sender used. */
export function normalizeSegments(text: string): string {
  return text.replace(/\r\n|\n/g, '\r').replace(/\r+$/, '');
}

/** Starts with an MSH segment that declares its separators (MSH-1 and 3 to 5 encoding characters). */
export function hasMshHeader(text: string): boolean {
  return /^MSH([^\r\n])[^\r\n]{3,5}?\1/.test(text);
}

/** The longest text each stored field takes; a longer value is refused (AE), never cut. */
const maxLength: Partial<Record<keyof LabResultData, number>> = {
  loincCode: 20,
  testName: 300,
  valueText: 500,
  unit: 50,
  referenceText: 100,
  abnormalFlag: 5,
  resultKey: 300,
};

function assertFits(result: LabResultData, where: string): void {
  for (const [field, max] of Object.entries(maxLength) as [keyof LabResultData, number][]) {
    const value = result[field];
    if (typeof value === 'string' && value.length > max) throw new BadInputError(`${where}: ${field} is longer than ${max} characters`);
  }
}

/** Parses the text of an ORU^R01, or throws BadInputError saying what is wrong (for the NAK). */
export function readOru(text: string): OruMessage {
  if (!hasMshHeader(text)) throw new BadInputError('Not an HL7 v2 message (no MSH segment with its encoding characters)');
  let message: Hl7Message;
  let header: Hl7Segment;
  try {
    message = Hl7Message.parse(normalizeSegments(text));
    header = message.header;
    header.getComponent(9, 1);
  } catch {
    throw new BadInputError('Not an HL7 v2 message (no readable MSH segment)');
  }
  const separators = {
    field: text.charAt(3),
    component: text.charAt(4) || '^',
    repetition: text.charAt(5) || '~',
    escape: text.charAt(6) || '\\',
    subcomponent: text.charAt(7) || '&',
  };
  /** A component's text, unescaped; '' when the field, component or repetition is absent. */
  const read = (segment: Hl7Segment, field: number, component = 1, repetition = 0): string => {
    let value: string | undefined;
    try {
      value = segment.getComponent(field, component, undefined, repetition);
    } catch {
      value = undefined; // @medplum/core throws for a repetition the field does not have
    }
    return unescapeHl7(value ?? '', separators).trim();
  };

  const type = `${read(header, 9, 1)}^${read(header, 9, 2)}`;
  if (type !== 'ORU^R01') throw new BadInputError(`Expected an ORU^R01 message, got ${type}`);
  const controlId = read(header, 10);
  if (!controlId) throw new BadInputError('MSH-10 (message control id) is empty');

  const pid = message.getSegment('PID');
  if (!pid) throw new BadInputError('The message has no PID segment');
  const identifiers: SourceIdentifier[] = [];
  for (let repetition = 0; repetition < 10; repetition++) {
    const value = read(pid, 3, 1, repetition);
    if (!value) break;
    // CX.4 assigning authority: which of the lab's clients issued this number.
    identifiers.push({ system: read(pid, 3, 4, repetition), value });
  }
  const patient: InboundPatient = {
    identifiers: uniqueIdentifiers(identifiers),
    familyName: read(pid, 5, 1) || null,
    givenName: read(pid, 5, 2) || null,
    birthDate: hl7Date(read(pid, 7)),
    phone: read(pid, 13) || null,
    postalCode: read(pid, 11, 5) || null,
  };

  const results: OruMessage['results'] = [];
  let order = { id: '', effectiveAt: null as Date | null, reportedAt: null as Date | null };
  for (const segment of message.segments) {
    if (segment.name === 'OBR') {
      order = { id: read(segment, 3) || read(segment, 2) || `OBR-${read(segment, 1)}`, effectiveAt: hl7DateTime(read(segment, 7)), reportedAt: hl7DateTime(read(segment, 22)) };
    } else if (segment.name === 'NTE' && results.length > 0) {
      // A note follows the result it is about; empty NTE segments say nothing.
      const note = read(segment, 3);
      const last = results[results.length - 1];
      if (note) last.comment = last.comment ? `${last.comment}\n${note}` : note;
    } else if (segment.name === 'OBX') {
      if (!order.id) throw new BadInputError('An OBX segment comes before any OBR');
      const statusCode = read(segment, 11);
      const status = statusOf[statusCode];
      if (!status) throw new BadInputError(`OBX-11 result status "${statusCode}" is not one of F, P, C, X`, { field: 'OBX-11' });
      const valueType = read(segment, 2);
      // SN (structured numeric) is comparator^number, e.g. "<^5" or "^82".
      const comparator = valueType === 'SN' ? read(segment, 5, 1) : '';
      const rawValue = valueType === 'SN' ? read(segment, 5, 2) : read(segment, 5);
      const numeric = (valueType === 'NM' || valueType === 'SN') && rawValue !== '' ? Number(rawValue) : NaN;
      const code = read(segment, 3, 1);
      const subId = read(segment, 4);
      results.push({
        // OBX-1 restarts under each OBR: the position in the message identifies the result.
        setId: String(results.length + 1),
        loincCode: read(segment, 3, 3) === 'LN' ? code : null,
        testName: read(segment, 3, 2) || code || 'unnamed test',
        valueNumeric: Number.isFinite(numeric) ? numeric : null,
        valueText: comparator ? `${comparator}${rawValue}` : Number.isFinite(numeric) ? null : rawValue || null,
        unit: read(segment, 6, 1) || null,
        ...referenceRange(read(segment, 7)),
        abnormalFlag: read(segment, 8) || null,
        status,
        effectiveAt: hl7DateTime(read(segment, 14)) ?? order.effectiveAt,
        reportedAt: order.reportedAt,
        analyzedAt: hl7DateTime(read(segment, 19)),
        resultKey: `${order.id}|${code}|${subId}`,
      });
    }
  }
  if (results.length === 0) throw new BadInputError('The message has no OBX results');
  results.forEach((result, index) => assertFits(result, `OBX ${index + 1}`));
  return { controlId, sendingApplication: read(header, 3), patient, results };
}
