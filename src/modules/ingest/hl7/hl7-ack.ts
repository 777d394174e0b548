import { randomUUID } from 'node:crypto';
import { errorConditions, escapeHl7, type Hl7Problem, maxControlIdLength, readHeaderFields, supportedVersions } from './oru';

/** The hub's own name in an ACK to a message whose receiving application or facility is empty. */
const hubName = 'CAREBRIDGE';
/** HD is 227 characters in v2.5.1: an echoed field is never longer. */
const maxEchoedLength = 227;

function hl7Timestamp(date = new Date()): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/**
 * What POST /ingest/hl7 (and MLLP) answers, MSA-1 with ERR-3 from HL7 table 0357:
 *
 * | MSA-1 | ERR-3 | when |
 * |---|---|---|
 * | AA | — | a valid ORU^R01 (also a status-only one: OBR-25 O/I/S/X and no OBX), stored and queued |
 * | AR | 100 | no MSH segment at the start |
 * | AR | 101 | MSH-7, MSH-9, MSH-10, MSH-11 or MSH-12 empty |
 * | AR | 102 | MSH-1/MSH-2 not separator characters; MSH-7 not a date/time; a header field too long |
 * | AR | 103 | MSH-18 a character set the hub does not read |
 * | AR | 200 / 201 | not ORU / not the R01 event |
 * | AR | 202 | MSH-11 other than P (training and debugging messages never reach a chart) |
 * | AR | 203 | MSH-12 outside 2.3–2.8.2 |
 * | AR | 207 | the sender may not send results (401/403) |
 * | AE | 100 | segments out of order: no PID, no OBR, OBX before OBR, two patients, an OBR with results due but no OBX |
 * | AE | 101 | PID-3, OBR-4, OBX-3, OBX-11, or a value its status requires, missing |
 * | AE | 102 | a value not of its type (NM "QNS", SN, dates), a field longer than v2.5.1 or our columns allow, unreadable bytes |
 * | AE | 103 | a code outside its table (OBX-11, OBR-25, OBX-2 types the hub does not store, such as ED) |
 * | AE | 205 | MSH-10 already used for a different message |
 */

/**
 * The ACK (HL7 v2.5.1 §2.14.1, original acknowledgment mode) to a message: MSH with sender and
 * receiver swapped, MSA with AA or the problem's AE/AR and the message's control id, and for a
 * problem an ERR with its location (ERR-2), its table 0357 code (ERR-3), severity E (ERR-4) and
 * its text (ERR-8). Written with the standard separators whatever the message used, and with
 * nothing of the message but its header's identifiers: never a value, a name or a date of birth.
 */
export function acknowledgement(text: string, problem: Hl7Problem | null = null): string {
  const header = readHeaderFields(text);
  const echo = (field: number, component = 1, max = maxEchoedLength) => escapeHl7((header?.field(field, component) ?? '').slice(0, max));
  const version = header?.field(12) ?? '';
  const msh = [
    'MSH',
    '^~\\&',
    echo(5) || hubName,
    echo(6) || hubName,
    echo(3),
    echo(4),
    hl7Timestamp(),
    '',
    header?.field(9, 2) === 'R01' ? 'ACK^R01^ACK' : 'ACK',
    randomUUID(),
    'P',
    supportedVersions.includes(version) ? version : '2.5.1',
  ].join('|');
  const msa = ['MSA', problem?.ack ?? 'AA', echo(10, 1, maxControlIdLength)].join('|');
  if (!problem) return [msh, msa].join('\r');
  const { segment, sequence, field } = problem.location ?? {};
  const location = segment ? [segment, sequence, field].filter((part) => part !== undefined).join('^') : '';
  const condition = `${problem.condition}^${errorConditions[problem.condition]}^HL70357`;
  const err = ['ERR', '', location, condition, 'E', '', '', '', escapeHl7(problem.message)].join('|');
  return [msh, msa, err].join('\r');
}
