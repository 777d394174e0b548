import { BadInputError } from '../../../errors';
import type { InboundPatient } from '../../patients/patient-matching';
import { uniqueIdentifiers, type SourceIdentifier } from '../../patients/source-identifiers';
import { readEnvelope } from './hl7-envelope';
import { EffectiveTimeSource, ResultStatus, type LabResultData } from '../../labs/lab-result.entity';

/**
 * HL7 v2 ORU^R01 (v2.5.1 chapters 2 and 7) as the hub needs it. Everything the import needs is
 * checked here, before the ACK: a message answered AA can always be imported.
 */

/** HL7 table 0357 (message error condition) codes this receiver answers with. */
export const errorConditions = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  205: 'Duplicate key identifier',
  207: 'Application internal error',
} as const;
export type ErrorCondition = keyof typeof errorConditions;

/** ERR-2 (ERL): segment id, its occurrence in the message (1-based), field position. */
export interface ErrorLocation {
  segment: string;
  sequence: number;
  field?: number;
}

/**
 * Why a message is refused, in the terms of its ACK: AR when the header says it is not something
 * this receiver takes (no MSH, encoding characters, type, version, processing id), AE when its
 * content is wrong. The text names fields and rules, never the values sent (they may be PHI).
 */
export class Hl7Problem extends BadInputError {
  constructor(
    readonly ack: 'AR' | 'AE',
    readonly condition: ErrorCondition,
    text: string,
    readonly location: ErrorLocation | null = null,
  ) {
    super(text, { ack, condition, location });
  }
}

const headerProblem = (condition: ErrorCondition, text: string, field?: number) =>
  new Hl7Problem('AR', condition, text, { segment: 'MSH', sequence: 1, field });

export interface Separators {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export const standardSeparators: Separators = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

const regexpQuote = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

const escapeSequences = new Map<string, RegExp>();
/** The escape sequences of §2.7 written with a message's escape character (one pattern per character). */
function escapeSequence(escapeCharacter: string): RegExp {
  let pattern = escapeSequences.get(escapeCharacter);
  if (!pattern) {
    const escape = regexpQuote(escapeCharacter);
    pattern = new RegExp(`${escape}(F|S|T|R|E|H|N|X[0-9A-Fa-f]*|[CMZ][^${escape}]*|\\.(?:br|ce|fi|nf|sp ?\\d*|in ?[+-]?\\d*|ti ?[+-]?\\d*|sk ?[+-]?\\d*))${escape}`, 'g');
    escapeSequences.set(escapeCharacter, pattern);
  }
  return pattern;
}

/**
 * Text with its HL7 escape sequences (v2.5.1 §2.7) resolved: the delimiters \F\ \S\ \T\ \R\ \E\,
 * hexadecimal data \Xhh..\, the formatting commands of FT (\.br\ \.sp n\ \.ce\ and the ones that
 * only lay text out: \.in\ \.ti\ \.sk\ \.fi\ \.nf\), highlighting \H\ \N\ and character-set
 * switches \C..\ \M..\ and local \Z..\ escapes, which carry no text of their own.
 */
export function unescapeHl7(text: string, separators: Separators = standardSeparators, hexEncoding = 'iso-8859-1'): string {
  if (!text.includes(separators.escape)) return text;
  return text.replace(escapeSequence(separators.escape), (_match, code: string) => {
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
      case '.ce':
        return '\n';
    }
    // A NUL byte carries no text and no text column can hold it.
    if (code.startsWith('X')) return new TextDecoder(hexEncoding).decode(Buffer.from(code.slice(1), 'hex')).replace(/\0/g, '');
    if (code.startsWith('.sp')) return '\n'.repeat(Number(code.slice(3).trim() || '1'));
    if (code.startsWith('.sk')) return ' '.repeat(Math.max(0, Number(code.slice(3).trim() || '1')));
    return '';
  });
}

/** The text made safe to place in a field with the standard separators (escapes of §2.7). */
export function escapeHl7(text: string, separators: Separators = standardSeparators): string {
  const { field, component, repetition, escape, subcomponent } = separators;
  const code: Record<string, string> = { [escape]: 'E', [field]: 'F', [component]: 'S', [subcomponent]: 'T', [repetition]: 'R' };
  return [...text]
    .map((character) => (character in code ? `${escape}${code[character]}${escape}` : character === '\r' || character === '\n' ? `${escape}.br${escape}` : character))
    .join('');
}

/**
 * An HL7 date/time (TS/DTM: YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) as a Date, or null when it is
 * not one. Without an offset the time is the sender's local time (§2.A.22): the offset of the
 * message's own MSH-7 when it has one, else UTC.
 */
export function hl7DateTime(value: string, defaultOffset = '+0000'): Date | null {
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/.exec(value.trim());
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '', offset = defaultOffset] = match;
  const numbers = { month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  if (numbers.hour > 23 || numbers.minute > 59 || numbers.second > 59 || Number(offset.slice(1, 3)) > 14 || Number(offset.slice(3)) > 59) return null;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${offset.slice(0, 3)}:${offset.slice(3)}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date accepts 2025-02-30 and rolls it into March: the calendar date must be the one written.
  const written = new Date(Date.UTC(Number(year), numbers.month - 1, numbers.day));
  return written.getUTCMonth() === numbers.month - 1 && written.getUTCDate() === numbers.day ? date : null;
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

/** A segment: its name, which occurrence of that name it is, and its fields by HL7 sequence number. */
interface Segment {
  name: string;
  sequence: number;
  fields: string[];
}

/** Segments end with CR; senders also use LF or CRLF. Blank lines say nothing. */
function segmentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}

const isSeparatorCharacter = (character: string | undefined) => character !== undefined && /^[^A-Za-z0-9\s]$/.test(character);

/** MSH-1 and MSH-2: the field separator, then 4 encoding characters (a 5th, truncation, from v2.7). */
function readSeparators(mshLine: string): Separators {
  const field = mshLine.charAt(3);
  if (!isSeparatorCharacter(field)) throw headerProblem(102, 'MSH-1 field separator is missing or not a separator character', 1);
  const encoding = mshLine.slice(4).split(field)[0];
  const characters = [...encoding];
  const distinct = new Set([field, ...characters]).size === characters.length + 1;
  if ((characters.length !== 4 && characters.length !== 5) || !distinct || !characters.every(isSeparatorCharacter)) {
    throw headerProblem(102, 'MSH-2 encoding characters must be 4 distinct separator characters (component, repetition, escape, subcomponent)', 2);
  }
  const [component, repetition, escape, subcomponent] = characters;
  return { field, component, repetition, escape, subcomponent };
}

function splitSegments(text: string): { separators: Separators; segments: Segment[] } {
  const lines = segmentLines(text);
  if (!lines[0]?.startsWith('MSH')) throw headerProblem(100, 'The message does not start with an MSH segment');
  const separators = readSeparators(lines[0]);
  const seen = new Map<string, number>();
  const segments = lines.map((line, index) => {
    const parts = line.split(separators.field);
    const name = parts[0];
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name)) {
      throw new Hl7Problem('AE', 100, `Segment ${index + 1} has no valid segment id (the message may be truncated)`);
    }
    const sequence = (seen.get(name) ?? 0) + 1;
    seen.set(name, sequence);
    // In MSH the field separator itself is MSH-1, so its fields are shifted by one.
    const fields = name === 'MSH' ? ['MSH', separators.field, ...parts.slice(1)] : parts;
    return { name, sequence, fields };
  });
  return { separators, segments };
}

/** Reads components of one message's fields, with its separators and character set. */
class FieldReader {
  constructor(
    readonly separators: Separators,
    private readonly hexEncoding = 'iso-8859-1',
  ) {}

  raw(segment: Segment, field: number): string {
    return segment.fields[field] ?? '';
  }

  repetitions(segment: Segment, field: number): string[] {
    const raw = this.raw(segment, field);
    return raw === '' ? [] : raw.split(this.separators.repetition);
  }

  /** One component (first subcomponent) of one repetition, unescaped and trimmed. */
  component(segment: Segment, field: number, component = 1, repetition = 0): string {
    const value = this.repetitions(segment, field)[repetition] ?? '';
    return this.text(value.split(this.separators.component)[component - 1]?.split(this.separators.subcomponent)[0] ?? '');
  }

  text(raw: string): string {
    return unescapeHl7(raw, this.separators, this.hexEncoding).trim();
  }
}

/**
 * \X..\ escapes are bytes in the character set MSH-18 declares (an ASCII header, read as such);
 * without one, ISO 8859-1, where every byte is a character.
 */
function hexEncodingOf(mshLine: string): string {
  const { declaredCharset, encoding } = readEnvelope(Buffer.from(mshLine, 'latin1'));
  return declaredCharset && encoding ? encoding : 'iso-8859-1';
}

/** Versions whose ORU^R01 reads the same for what the hub takes from it (MSH-12). */
export const supportedVersions = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'];

/**
 * MSH-10 is 20 characters in v2.5.1 and 199 from v2.7. Accepted up to what the record id made of
 * it (`<control id>/<result number>`, up to 4 digits) fits in: its column holds 200.
 */
export const maxControlIdLength = 200 - '/'.length - 4;
const maxResultsPerMessage = 9999;

/** The header of any text that starts with a readable MSH, for answering it; null otherwise. */
export function readHeaderFields(text: string): { field(field: number, component?: number): string } | null {
  try {
    const { separators, segments } = splitSegments(segmentLines(text)[0] ?? '');
    const reader = new FieldReader(separators);
    return { field: (field, component = 1) => reader.component(segments[0], field, component) };
  } catch {
    return null;
  }
}

/** HL7 v2.5.1 maximum lengths (and our columns where smaller) of the fields the hub reads. */
const maxLengths: Record<string, Record<number, number>> = {
  MSH: { 3: 227, 4: 227, 7: 26, 9: 15, 10: maxControlIdLength, 11: 3, 12: 60, 18: 16 },
  PID: { 3: 250, 5: 250, 7: 26, 11: 250, 13: 250 },
  OBR: { 2: 22, 3: 22, 4: 250, 7: 26, 8: 26, 22: 26, 25: 1 },
  OBX: { 1: 4, 2: 3, 3: 250, 4: 20, 5: 99999, 6: 250, 7: 60, 8: 5, 11: 1, 14: 26, 19: 26 },
  NTE: { 3: 65536 },
};

/** Each repetition of each field within its maximum length; AR for the header, AE for content. */
function assertFieldLengths(segment: Segment, reader: FieldReader): void {
  for (const [field, max] of Object.entries(maxLengths[segment.name] ?? {}).map(([field, max]) => [Number(field), max])) {
    if (reader.repetitions(segment, field).some((repetition) => repetition.length > max)) {
      const text = `${segment.name}-${field} is longer than ${max} characters`;
      throw new Hl7Problem(segment.name === 'MSH' ? 'AR' : 'AE', 102, text, { segment: segment.name, sequence: segment.sequence, field });
    }
  }
}

/** Our columns for what is kept of a value (the record's field, its length). */
const columnLengths: [keyof LabResultData, number, number][] = [
  ['loincCode', 20, 3],
  ['testName', 300, 3],
  ['valueCode', 50, 5],
  ['valueCodeSystem', 50, 5],
  ['unit', 50, 6],
  ['referenceText', 100, 7],
  ['abnormalFlag', 5, 8],
  ['resultKey', 300, 3],
];

/** OBX-11 (HL7 table 0085) as the hub keeps it; N (not asked) and O (order detail) carry no result. */
const resultStatusOf: Record<string, ResultStatus | 'NOT_A_RESULT'> = {
  F: ResultStatus.FINAL,
  C: ResultStatus.CORRECTED,
  P: ResultStatus.PRELIMINARY,
  R: ResultStatus.PRELIMINARY,
  S: ResultStatus.PRELIMINARY,
  I: ResultStatus.PRELIMINARY,
  X: ResultStatus.CANCELLED,
  D: ResultStatus.CANCELLED,
  W: ResultStatus.CANCELLED,
  N: 'NOT_A_RESULT',
  O: 'NOT_A_RESULT',
};
/** A value may be absent only when the status says there is none (X, D, W) or none yet (I). */
const statusesWithoutValue = new Set(['X', 'D', 'W', 'I']);

/** OBR-25 (HL7 table 0123); an order with one of `noResultsYet` may come without OBX. */
const orderStatuses = new Set(['O', 'I', 'S', 'A', 'P', 'C', 'R', 'F', 'X', 'Y', 'Z']);
const noResultsYet = new Set(['O', 'I', 'S', 'X', 'Y', 'Z']);

/** OBX-2 value types (HL7 table 0125) the hub stores; others (ED, RP, addresses, names…) are refused. */
const textTypes = new Set(['ST', 'TX', 'FT', 'DT', 'TM', 'TS', 'DTM', 'ID', 'IS']);
const codedTypes = new Set(['CE', 'CWE', 'CNE']);
const storedValueTypes = new Set([...textTypes, ...codedTypes, 'NM', 'SN']);

/** HL7 NM: optional sign, digits, optional decimal point (§2.A.47), within what a double holds. */
const isHl7Number = (text: string) => /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) && Number.isFinite(Number(text));

/** One order (OBR) as sent: what was ordered, its status, and the notes on it. */
export interface OruOrder {
  orderId: string;
  serviceCode: string;
  serviceName: string;
  /** OBR-25, HL7 table 0123 (I: specimen received, results pending; S: scheduled; F: final…). */
  resultStatus: string | null;
  /** OBR-22, when that status was reached. */
  statusChangedAt: Date | null;
  /** Order-level NTEs (after OBR, before its first OBX); also copied onto each of its results. */
  comment: string | null;
  resultCount: number;
}

/** An ORU^R01 as the hub needs it: who it is about, each order (with its status) and each result. */
export interface OruMessage {
  controlId: string;
  sendingApplication: string;
  version: string;
  patient: InboundPatient;
  orders: OruOrder[];
  results: (LabResultData & { setId: string })[];
}

type ParsedValue = Pick<LabResultData, 'valueNumeric' | 'valueText' | 'valueComparator' | 'valueBound' | 'valueCode' | 'valueCodeSystem'>;

const appendLine = (text: string | null | undefined, line: string) => (text ? `${text}\n${line}` : line);

/** Parses the text of an ORU^R01, or throws an Hl7Problem saying what is wrong (for the ACK). */
export function readOru(text: string): OruMessage {
  const { separators, segments } = splitSegments(text);
  const header = segments[0];
  const reader = new FieldReader(separators, hexEncodingOf(segmentLines(text)[0]));
  const read = (segment: Segment, field: number, component = 1, repetition = 0) => reader.component(segment, field, component, repetition);
  const where = (segment: Segment, field?: number): ErrorLocation => ({ segment: segment.name, sequence: segment.sequence, field });
  const contentProblem = (condition: ErrorCondition, segment: Segment, field: number | undefined, text: string) =>
    new Hl7Problem('AE', condition, `${segment.name}${field ? `-${field}` : ''} (segment ${segment.name} #${segment.sequence}): ${text}`, where(segment, field));

  const messageType = read(header, 9, 1);
  if (!messageType) throw headerProblem(101, 'MSH-9 message type is required', 9);
  if (messageType !== 'ORU') throw headerProblem(200, 'MSH-9: only ORU^R01 messages are accepted', 9);
  if (read(header, 9, 2) !== 'R01') throw headerProblem(201, 'MSH-9: only the R01 event of ORU is accepted', 9);
  const version = read(header, 12);
  if (!version) throw headerProblem(101, 'MSH-12 version id is required', 12);
  if (!supportedVersions.includes(version)) throw headerProblem(203, `MSH-12: versions ${supportedVersions[0]} to ${supportedVersions[supportedVersions.length - 1]} are accepted`, 12);
  const controlId = read(header, 10);
  if (!controlId) throw headerProblem(101, 'MSH-10 message control id is required', 10);
  const processingId = read(header, 11);
  if (!processingId) throw headerProblem(101, 'MSH-11 processing id is required', 11);
  // Training (T) and debugging (D) messages must never reach a patient's chart.
  if (processingId !== 'P') throw headerProblem(202, 'MSH-11: only production (P) messages are accepted', 11);
  const messageTime = read(header, 7);
  if (!messageTime) throw headerProblem(101, 'MSH-7 date/time of message is required', 7);
  const messageZone = /([+-]\d{4})$/.exec(messageTime)?.[1];
  const sentAt = hl7DateTime(messageTime);
  if (!sentAt) throw headerProblem(102, 'MSH-7 is not an HL7 date/time', 7);
  const messageDate: Date = sentAt;
  const sendingApplication = read(header, 3);
  if (sendingApplication.length > 200) throw headerProblem(102, 'MSH-3 is longer than 200 characters', 3);
  for (const segment of segments) assertFieldLengths(segment, reader);

  /** A TS field as a Date; null when empty, refused (102) when it is not a date/time. */
  const dateTime = (segment: Segment, field: number): Date | null => {
    const value = read(segment, field);
    if (!value) return null;
    const date = hl7DateTime(value, messageZone);
    if (!date) throw contentProblem(102, segment, field, 'not an HL7 date/time');
    return date;
  };

  let patient: InboundPatient | null = null;
  type ReadOrder = Omit<OruOrder, 'resultCount'> & { observedAt: Date | null; observationEndedAt: Date | null; results: LabResultData[] };
  const orders: ReadOrder[] = [];
  const results: OruMessage['results'] = [];
  let order: ReadOrder | null = null;
  // An NTE is about the segment before it: the order (OBR), a result (OBX), or neither (PID, SPM…).
  let noteTarget: { comment?: string | null } | null = null;
  let orderCommonPending = false;
  let inSpecimenGroup = false;

  for (const segment of segments.slice(1)) {
    if (orderCommonPending && segment.name !== 'OBR') throw contentProblem(100, segment, undefined, 'ORC must be followed by its OBR');
    switch (segment.name) {
      case 'MSH':
        throw contentProblem(100, segment, undefined, 'one message per request (batches are not accepted)');
      case 'PID':
        if (patient) throw contentProblem(100, segment, undefined, 'one patient per message');
        patient = readPatient(segment);
        noteTarget = null;
        break;
      case 'ORC':
      case 'OBR':
        if (!patient) throw contentProblem(100, segment, undefined, `${segment.name} before PID`);
        orderCommonPending = segment.name === 'ORC';
        if (segment.name === 'OBR') {
          order = readOrder(segment);
          orders.push(order);
          inSpecimenGroup = false;
          noteTarget = order;
        }
        break;
      case 'SPM':
        if (!order) throw contentProblem(100, segment, undefined, 'SPM before OBR');
        inSpecimenGroup = true;
        noteTarget = null;
        break;
      case 'OBX':
        if (!order) throw contentProblem(100, segment, undefined, 'OBX before any OBR');
        // Observations in the specimen group describe the specimen, not the patient.
        noteTarget = inSpecimenGroup ? null : readResult(segment, order);
        break;
      case 'NTE': {
        const note = read(segment, 3);
        if (note && noteTarget) noteTarget.comment = appendLine(noteTarget.comment, note);
        break;
      }
      // Other segments of ORU^R01 (SFT, PD1, NK1, PV1, PV2, TQ1, CTD, FT1, CTI, DSC) and Z-segments are not used.
    }
  }
  if (orderCommonPending) throw new Hl7Problem('AE', 100, 'ORC must be followed by its OBR');
  if (!patient) throw new Hl7Problem('AE', 100, 'The message has no PID segment', { segment: 'PID', sequence: 1 });
  if (orders.length === 0) throw new Hl7Problem('AE', 100, 'The message has no OBR segment', { segment: 'OBR', sequence: 1 });
  if (results.length > maxResultsPerMessage) throw new Hl7Problem('AE', 100, `A message holds at most ${maxResultsPerMessage} results`);
  orders.forEach((each, index) => {
    if (each.results.length === 0 && !noResultsYet.has(each.resultStatus ?? '')) {
      throw new Hl7Problem('AE', 100, 'An OBR without OBX must say in OBR-25 that no results are available (O, I, S, X)', { segment: 'OBR', sequence: index + 1, field: 25 });
    }
    for (const result of each.results) result.orderComment = each.comment;
  });
  return {
    controlId,
    sendingApplication,
    version,
    patient,
    orders: orders.map(({ orderId, serviceCode, serviceName, resultStatus, statusChangedAt, comment, results: ofOrder }) => ({
      orderId, serviceCode, serviceName, resultStatus, statusChangedAt, comment, resultCount: ofOrder.length,
    })),
    results,
  };

  function readPatient(pid: Segment): InboundPatient {
    const identifiers: SourceIdentifier[] = [];
    for (let repetition = 0; repetition < reader.repetitions(pid, 3).length; repetition++) {
      const value = read(pid, 3, 1, repetition);
      // CX.4 assigning authority: which of the lab's clients issued this number.
      const system = read(pid, 3, 4, repetition);
      if (!value) throw contentProblem(101, pid, 3, 'each identifier needs its ID number (CX.1)');
      if (value.length > 100 || system.length > 200) throw contentProblem(102, pid, 3, 'identifier longer than 100 characters (authority 200)');
      identifiers.push({ system, value });
    }
    if (identifiers.length === 0) throw contentProblem(101, pid, 3, 'patient identifier list is required');
    const birth = read(pid, 7);
    if (birth && !hl7DateTime(birth)) throw contentProblem(102, pid, 7, 'not an HL7 date');
    const birthDay = /^(\d{4})(\d{2})(\d{2})/.exec(birth);
    const demographics = {
      familyName: read(pid, 5, 1) || null,
      givenName: read(pid, 5, 2) || null,
      phone: read(pid, 13) || null,
      postalCode: read(pid, 11, 5) || null,
    };
    const demographicColumns = { familyName: 100, givenName: 100, phone: 40, postalCode: 20 };
    for (const [name, max] of Object.entries(demographicColumns) as [keyof typeof demographics, number][]) {
      if ((demographics[name]?.length ?? 0) > max) throw contentProblem(102, pid, { familyName: 5, givenName: 5, phone: 13, postalCode: 11 }[name], `longer than ${max} characters`);
    }
    return { identifiers: uniqueIdentifiers(identifiers), birthDate: birthDay ? `${birthDay[1]}-${birthDay[2]}-${birthDay[3]}` : null, ...demographics };
  }

  function readOrder(obr: Segment) {
    const serviceCode = read(obr, 4, 1);
    const serviceName = read(obr, 4, 2);
    if (!serviceCode && !serviceName) throw contentProblem(101, obr, 4, 'universal service identifier is required');
    const resultStatus = read(obr, 25) || null;
    if (resultStatus && !orderStatuses.has(resultStatus)) throw contentProblem(103, obr, 25, 'not a result status of HL7 table 0123');
    return {
      orderId: read(obr, 3) || read(obr, 2) || `OBR-${obr.sequence}`,
      serviceCode,
      serviceName,
      resultStatus,
      statusChangedAt: dateTime(obr, 22),
      comment: null,
      results: [],
      observedAt: dateTime(obr, 7),
      observationEndedAt: dateTime(obr, 8),
    };
  }

  /** The result it stores, or null for an OBX that carries none (N, O). */
  function readResult(obx: Segment, parent: ReadOrder): LabResultData | null {
    const statusCode = read(obx, 11);
    if (!statusCode) throw contentProblem(101, obx, 11, 'observation result status is required');
    const status = resultStatusOf[statusCode];
    if (!status) {
      // U (change to final without resending the values) would need the values it finalises.
      throw contentProblem(103, obx, 11, 'result status not accepted (F, C, P, R, S, I, X, D, W, N, O)');
    }
    const code = read(obx, 3, 1);
    const name = read(obx, 3, 2) || read(obx, 3, 5);
    if (!code && !name) throw contentProblem(101, obx, 3, 'observation identifier is required');
    if (status === 'NOT_A_RESULT') return null;
    const valueType = read(obx, 2);
    const hasValue = reader.raw(obx, 5).trim() !== '';
    if (!hasValue && !statusesWithoutValue.has(statusCode)) throw contentProblem(101, obx, 5, 'observation value is required for this result status');
    if (hasValue && !valueType) throw contentProblem(101, obx, 2, 'value type is required with a value');
    if (valueType && !storedValueTypes.has(valueType)) throw contentProblem(103, obx, 2, 'value type not accepted (NM, SN, ST, TX, FT, CE, CWE, CNE, DT, TM, TS, DTM, ID, IS)');
    const value = hasValue ? readValue(obx, valueType) : {};

    const subId = read(obx, 4);
    const { time: effectiveAt, source: effectiveTimeSource } = effectiveTime(obx, parent);
    const result: OruMessage['results'][number] = {
      // OBX-1 restarts under each OBR: the position in the message identifies the result.
      setId: String(results.length + 1),
      loincCode: read(obx, 3, 3) === 'LN' ? code : read(obx, 3, 6) === 'LN' ? read(obx, 3, 4) : null,
      testName: name || code,
      valueNumeric: null,
      valueText: null,
      valueComparator: null,
      valueBound: null,
      valueCode: null,
      valueCodeSystem: null,
      ...value,
      unit: read(obx, 6, 1) || null,
      ...referenceRange(read(obx, 7)),
      abnormalFlag: read(obx, 8) || null,
      status,
      effectiveAt,
      effectiveTimeSource,
      reportedAt: parent.statusChangedAt,
      analyzedAt: dateTime(obx, 19),
      resultKey: `${parent.orderId}|${code || name}|${subId}`,
      comment: null,
      orderComment: null,
    };
    for (const [field, max, obxField] of columnLengths) {
      const kept = result[field];
      if (typeof kept === 'string' && kept.length > max) throw contentProblem(102, obx, obxField, `longer than ${max} characters`);
    }
    results.push(result);
    parent.results.push(result);
    return result;
  }

  /** OBX-5 read by its OBX-2 type; repetitions of text are lines, of codes alternatives. */
  function readValue(obx: Segment, valueType: string): ParsedValue {
    const repetitions = reader.repetitions(obx, 5);
    const components = (repetition: string) => repetition.split(separators.component).map((component) => reader.text(component.split(separators.subcomponent)[0]));
    if (valueType === 'NM') {
      const number = reader.text(repetitions[0]);
      if (repetitions.length > 1 || !isHl7Number(number)) throw contentProblem(102, obx, 5, 'an NM value must be a number');
      return { valueNumeric: Number(number) };
    }
    if (valueType === 'SN') {
      if (repetitions.length > 1) throw contentProblem(102, obx, 5, 'an SN value does not repeat');
      return structuredNumeric(obx, components(repetitions[0]));
    }
    if (codedTypes.has(valueType)) {
      const coded = repetitions.map(components).map(([code = '', text = '', system = '', alternateCode = '', alternateText = '', alternateSystem = '', , , originalText = '']) => ({
        code: code || alternateCode,
        system: code ? system : alternateSystem,
        text: text || alternateText || originalText || code || alternateCode,
      }));
      if (coded.some((each) => !each.text)) throw contentProblem(101, obx, 5, 'a coded value needs a code or a text');
      return { valueText: coded.map((each) => each.text).join('\n'), valueCode: coded[0].code || null, valueCodeSystem: coded[0].system || null };
    }
    // ST, TX, FT and the date/time types: the whole text, each repetition a line.
    return { valueText: repetitions.map((repetition) => reader.text(repetition)).join('\n') || null };
  }

  /** SN: comparator ^ number [^ separator/suffix ^ number]; a bound keeps its comparator. */
  function structuredNumeric(obx: Segment, [comparator = '', first = '', separatorOrSuffix = '', second = '']: string[]): ParsedValue {
    const invalid = () => contentProblem(102, obx, 5, 'not a structured numeric (comparator^number^separator^number)');
    if (!['', '=', '<', '>', '<=', '>=', '<>'].includes(comparator) || !isHl7Number(first)) throw invalid();
    if (separatorOrSuffix || second) {
      // A range (10-20), a ratio (1:128, 1/2) or a categorical suffix (2+): text, never one number.
      if (!['-', '+', '/', '.', ':'].includes(separatorOrSuffix) || (second !== '' && !isHl7Number(second)) || (second === '' && separatorOrSuffix !== '+')) throw invalid();
      return { valueText: `${comparator}${first}${separatorOrSuffix}${second}` };
    }
    if (comparator === '' || comparator === '=') return { valueNumeric: Number(first) };
    if (comparator === '<>') return { valueText: `<>${first}` };
    return { valueText: `${comparator}${first}`, valueComparator: comparator, valueBound: Number(first) };
  }

  /** The time the observation is about, by the first the lab gives; the message's own time last. */
  function effectiveTime(obx: Segment, parent: ReadOrder): { time: Date; source: EffectiveTimeSource } {
    const candidates: [Date | null, EffectiveTimeSource][] = [
      [dateTime(obx, 14), EffectiveTimeSource.OBSERVATION_TIME],
      [parent.observedAt, EffectiveTimeSource.COLLECTION_TIME],
      [parent.observationEndedAt, EffectiveTimeSource.COLLECTION_END_TIME],
      [dateTime(obx, 19), EffectiveTimeSource.ANALYSIS_TIME],
    ];
    const [time, source] = candidates.find(([candidate]) => candidate !== null) ?? [messageDate, EffectiveTimeSource.MESSAGE_TIME];
    return { time: time ?? messageDate, source };
  }
}
