/** C0 control characters other than tab, line feed and carriage return: never part of a clinical message. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const forbiddenControl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Whether the text holds a control character no clinical message may carry. */
export const hasForbiddenControl = (text: string) => forbiddenControl.test(text);

export type InboundText = { text: string } | { problem: string };

/**
 * Reads the bytes of an inbound message in the character set the sender declared (a WHATWG
 * encoding label). Bytes invalid in that set, and control characters such as NUL, are refused with
 * a reason that never quotes the content.
 */
export function readInboundText(raw: Buffer, charset: string): InboundText {
  let text: string;
  try {
    text = new TextDecoder(charset, { fatal: true }).decode(raw);
  } catch {
    return { problem: `The bytes are not valid ${charset}` };
  }
  if (hasForbiddenControl(text)) return { problem: 'The message contains control characters (such as NUL) that no message may carry' };
  return { text };
}

/** Whether a value read from a message can be kept as an identifier: printable and at most `max` characters. */
export function usableIdentifier(value: string | null | undefined, max = 200): string | null {
  if (!value || value.length > max || hasForbiddenControl(value)) return null;
  return value;
}
