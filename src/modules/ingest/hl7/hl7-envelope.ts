/**
 * MSH-18 character sets (HL7 table 0211) the hub reads, as WHATWG encoding labels. Without
 * MSH-18 the standard's default is 7-bit ASCII; UTF-8 is read too, as it is ASCII where ASCII is.
 * UTF-16 and UTF-32 are not: their MSH could not be read as the standard requires (ASCII).
 */
const encodings: Record<string, string> = {
  '': 'utf-8',
  ASCII: 'utf-8',
  'UNICODE UTF-8': 'utf-8',
  '8859/1': 'iso-8859-1',
  '8859/2': 'iso-8859-2',
  '8859/3': 'iso-8859-3',
  '8859/4': 'iso-8859-4',
  '8859/5': 'iso-8859-5',
  '8859/6': 'iso-8859-6',
  '8859/7': 'iso-8859-7',
  '8859/8': 'iso-8859-8',
  '8859/9': 'iso-8859-9',
  '8859/15': 'iso-8859-15',
  'GB 18030-2000': 'gb18030',
  'KS X 1001': 'euc-kr',
  'BIG-5': 'big5',
};

/** What the MSH segment says before the message is decoded: who sent it, its control id and character set. */
export interface Hl7Envelope {
  /** MSH-4's first component (HD namespace id), as sent ('' when absent). */
  sendingFacility: string;
  /** MSH-8, as sent ('' when absent). */
  security: string;
  /** MSH-10, as sent ('' when absent). */
  controlId: string;
  /** MSH-18's first repetition, as sent. */
  declaredCharset: string;
  /** The WHATWG encoding to read the message in; `null` when MSH-18 names a set the hub does not read. */
  encoding: string | null;
}

/**
 * Reads the MSH segment's fields from the raw bytes as ASCII, as the standard requires of MSH
 * whatever MSH-18 declares, so a message can be filed and answered before it is decoded.
 */
export function readEnvelope(raw: Buffer): Hl7Envelope {
  const end = raw.findIndex((byte) => byte === 0x0d || byte === 0x0a);
  const header = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  const fieldSeparator = header.charAt(3);
  const componentSeparator = header.charAt(4);
  const repetitionSeparator = header.charAt(5);
  // MSH-1 is the field separator itself, so MSH-n is field n - 1 of the split.
  const fields = header.startsWith('MSH') && fieldSeparator ? header.split(fieldSeparator) : [];
  const firstRepetition = (value = '') => (repetitionSeparator ? value.split(repetitionSeparator)[0] : value).trim();
  const declaredCharset = firstRepetition(fields[17]);
  return {
    sendingFacility: (componentSeparator ? (fields[3] ?? '').split(componentSeparator)[0] : (fields[3] ?? '')).trim(),
    security: (fields[7] ?? '').trim(),
    controlId: firstRepetition(fields[9]),
    declaredCharset,
    encoding: encodings[declaredCharset.toUpperCase()] ?? null,
  };
}
