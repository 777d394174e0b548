/** A message for a channel outside CareBridge (e-mail; SMS would be another sender). */
export interface OutboundMessage {
  subject: string;
  text: string;
}

/** Sends a message to one address of its channel; rejects when the channel did not accept it. */
export interface MessageSender {
  send(address: string, message: OutboundMessage): Promise<void>;
  close(): void;
}

/**
 * The only thing an external message ever says. E-mail and SMS are read on lock screens, shared
 * devices and mail servers we do not control: a program's name, a consent, a lab result, even the
 * kind of notification could tell whoever sees it that the person is in mental-health or
 * substance-use treatment (PHI under HIPAA; under 42 CFR Part 2 not even that may be disclosed).
 * So every external message is the same, and the details wait behind the sign-in.
 */
export function signInNotice(signInUrl?: string): OutboundMessage {
  const text = 'You have a new message in CareBridge. Sign in to read it.';
  return { subject: 'New message in CareBridge', text: signInUrl ? `${text}\n\n${signInUrl}\n` : `${text}\n` };
}
