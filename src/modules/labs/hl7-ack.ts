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
