import { acknowledgement } from '../src/modules/ingest/hl7/hl7-ack';
import { hl7DateTime, Hl7Problem, maxControlIdLength, readOru, unescapeHl7 } from '../src/modules/ingest/hl7/oru';

/** A minimal valid ORU^R01 (v2.5.1 ch. 7), with one part replaced per test. */
function oru({ controlId = 'MSG-1', sendingApplication = 'LABSYS', pid3 = 'L-555^^^REGLAB^MR', obx5 = '0.9', obx2 = 'NM' } = {}): string {
  return [
    `MSH|^~\\&|${sendingApplication}|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201083000-0500||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${pid3}||Demo^Avery||19880412`,
    'OBR|1|PL1|FL1|14334-7^Lithium^LN|||20261130080000',
    `OBX|1|${obx2}|14334-7^Lithium^LN||${obx5}|mmol/L|0.6-1.2|N|||F`,
  ].join('\r');
}

function problemOf(text: string): Hl7Problem {
  try {
    readOru(text);
  } catch (error) {
    if (error instanceof Hl7Problem) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('what the import needs is checked before the ACK (field lengths of v2.5.1 and of our columns)', () => {
  it.each([
    ['a 300 KB PID-3', oru({ pid3: `${'9'.repeat(300_000)}^^^REGLAB^MR` }), 'AE', { segment: 'PID', sequence: 1, field: 3 }],
    ['a patient identifier longer than its column (100)', oru({ pid3: `${'9'.repeat(101)}^^^REGLAB^MR` }), 'AE', { segment: 'PID', sequence: 1, field: 3 }],
    ['an MSH-3 over 200 characters', oru({ sendingApplication: 'S'.repeat(201) }), 'AR', { segment: 'MSH', sequence: 1, field: 3 }],
    ['an MSH-10 of 199 characters', oru({ controlId: 'C'.repeat(199) }), 'AR', { segment: 'MSH', sequence: 1, field: 10 }],
    ['a text value over the 99999 characters of OBX-5', oru({ obx2: 'TX', obx5: 'x'.repeat(100_000) }), 'AE', { segment: 'OBX', sequence: 1, field: 5 }],
    ['a number no double holds', oru({ obx5: '9'.repeat(400) }), 'AE', { segment: 'OBX', sequence: 1, field: 5 }],
  ])('refuses %s with a data type error (102) naming the field', (_label, text, ack, location) => {
    expect(problemOf(text)).toMatchObject({ ack, condition: 102, location });
  });

  it(`accepts a control id up to ${maxControlIdLength} characters, what the record id "<control id>/<result>" holds`, () => {
    expect(readOru(oru({ controlId: 'C'.repeat(maxControlIdLength) })).controlId).toHaveLength(maxControlIdLength);
  });
});

describe('the ACK', () => {
  it('answers a problem with MSA-1 AE/AR, the control id, and an ERR with location, table 0357 code, severity E and the text', () => {
    const text = oru({ controlId: 'MSG-7', obx5: 'QNS' });
    const ack = acknowledgement(text, problemOf(text)).split('\r');
    expect(ack[0]).toMatch(/^MSH\|\^~\\&\|CAREBRIDGE\|HARBOR\|LABSYS\|REGIONAL LAB\|\d{14}\+0000\|\|ACK\^R01\^ACK\|[0-9a-f-]{36}\|P\|2\.5\.1$/);
    expect(ack[1]).toBe('MSA|AE|MSG-7');
    expect(ack[2]).toBe('ERR||OBX^1^5|102^Data type error^HL70357|E||||OBX-5 (segment OBX #1): an NM value must be a number');
    expect(ack.join('\r')).not.toContain('QNS');
  });

  it('answers AA without ERR, and a message with custom delimiters in the standard ones, its escapes resolved', () => {
    expect(acknowledgement(oru()).split('\r')).toEqual([expect.stringMatching(/^MSH\|/), 'MSA|AA|MSG-1']);
    const custom = oru({ controlId: 'A\\F\\B', sendingApplication: 'LAB$MAIN' }).replace('MSH|^~\\&|', 'MSH#$~\\&#').replace(/\|/g, '#');
    const ack = acknowledgement(custom).split('\r');
    expect(ack[0]).toMatch(/^MSH\|\^~\\&\|CAREBRIDGE\|HARBOR\|LAB\|REGIONAL LAB\|/);
    expect(ack[1]).toBe('MSA|AA|A#B');
  });

  it('answers text without an MSH with its own header and AR 100', () => {
    const ack = acknowledgement('PID|1||L-555', problemOf('PID|1||L-555')).split('\r');
    expect(ack[0]).toMatch(/^MSH\|\^~\\&\|CAREBRIDGE\|CAREBRIDGE\|\|\|/);
    expect(ack.slice(1)).toEqual(['MSA|AR|', 'ERR||MSH^1|100^Segment sequence error^HL70357|E||||The message does not start with an MSH segment']);
  });
});

describe('text escapes (v2.5.1 §2.7)', () => {
  it.each([
    ['delimiters', 'a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f', 'a|b^c&d~e\\f'],
    ['highlighting', 'see \\H\\this\\N\\ now', 'see this now'],
    ['line breaks and spaces', 'one\\.br\\two\\.sp 2\\three', 'one\ntwo\n\nthree'],
    ['indents, fill and centring', '\\.in+4\\\\.ti-2\\\\.fi\\\\.nf\\text\\.ce\\centred', 'text\ncentred'],
    ['hex data', 'temp 37\\XB0\\C', 'temp 37°C'],
    ['hex data holding a NUL byte, which no text column stores', 'a\\X00\\b', 'ab'],
    ['character set switches and local escapes', 'a\\C2842\\b\\M2442\\c\\Zlocal\\d', 'abcd'],
  ])('resolves %s', (_label, text, expected) => {
    expect(unescapeHl7(text)).toBe(expected);
  });
});

describe('hexadecimal data in the declared character set (MSH-18)', () => {
  it.each([
    ['', '\\XB0\\', '°'], // no MSH-18: ISO 8859-1
    ['UNICODE UTF-8', '\\XC2B0\\', '°'],
    ['8859/7', '\\XE1\\', 'α'],
  ])('MSH-18 "%s": %s is %s', (characterSet, escaped, expected) => {
    const text = oru({ obx2: 'ST', obx5: escaped }).replace('|P|2.5.1', `|P|2.5.1||||||${characterSet}`);
    expect(readOru(text).results[0].valueText).toBe(expected);
  });
});

describe('HL7 date/times', () => {
  it.each([
    ['20261130083000+0100', undefined, '2026-11-30T07:30:00.000Z'],
    ['20261130083000', '-0500', '2026-11-30T13:30:00.000Z'],
    ['202611300830', undefined, '2026-11-30T08:30:00.000Z'],
    ['20261130083000.25-0500', undefined, '2026-11-30T13:30:00.250Z'],
    ['2026', undefined, '2026-01-01T00:00:00.000Z'],
  ])('reads %s (default offset %s)', (text, offset, iso) => {
    expect(hl7DateTime(text, offset)?.toISOString()).toBe(iso);
  });

  it.each(['20250230', '20261301', '20261130250000', '2026113008300', 'yesterday', '20261130083000+2500'])('refuses %s', (text) => {
    expect(hl7DateTime(text)).toBeNull();
  });
});
