import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  from: string | false;
  to: string[];
  /** Header lines as sent. */
  headers: string;
  /** The body, quoted-printable decoded. */
  text: string;
}

/** A real SMTP server in the test process, keeping every message it accepted. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedEmail[];
  /** The messages to one address (other recipients' may arrive meanwhile, e.g. the seed's care teams). */
  receivedBy(address: string): ReceivedEmail[];
  /** Recipients the server refuses at RCPT TO (550), as a real server does an unknown mailbox. */
  refuse: (address: string) => boolean;
  /** How long the server takes to accept each message; a slow server widens race windows. */
  acceptDelayMs: number;
  close(): Promise<void>;
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function decodeQuotedPrintable(body: string): string {
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const state: Pick<TestSmtpServer, 'received' | 'refuse' | 'acceptDelayMs'> = { received: [], refuse: () => false, acceptDelayMs: 0 };
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(address, _session, callback) {
      callback(state.refuse(address.address) ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        state.received.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          headers: raw.slice(0, split),
          text: decodeQuotedPrintable(raw.slice(split + 4)),
        });
        setTimeout(() => callback(null), state.acceptDelayMs);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.server.address() as { port: number };
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${bound}`,
    receivedBy: (address: string) => state.received.filter((email) => email.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
