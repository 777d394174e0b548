import { createTransport } from 'nodemailer';
import type { MessageSender, OutboundMessage } from './message-sender';

/**
 * E-mail over SMTP (nodemailer). Timeouts are short because a send holds its notification's row
 * lock; nodemailer's own defaults wait up to ten minutes on a silent server.
 */
export class SmtpEmailSender implements MessageSender {
  private readonly transport: ReturnType<typeof createTransport>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Messages are fixed text: no attachment or link of ours should ever read a file or a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(address: string, { subject, text }: OutboundMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: address, subject, text });
  }

  close(): void {
    this.transport.close();
  }
}
