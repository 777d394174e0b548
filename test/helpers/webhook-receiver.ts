import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How a receiver answers one request: a status, or `hold` (no answer at all: the sender waits until it gives up or dies). */
export type Answer = number | 'hold';

/** A partner's webhook endpoint: records every POST and answers each path from a script. */
export interface WebhookReceiver {
  server: Server;
  url: (path: string) => string;
  received: Received[];
  /** Answers to give a path, in order; 200 once they run out. */
  script: Map<string, Answer[]>;
  /** The POSTs to one path, oldest first. */
  receivedAt: (path: string) => Received[];
  close: () => Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const script = new Map<string, Answer[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      const answer = script.get(path)?.shift() ?? 200;
      if (answer !== 'hold') response.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    received,
    script,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    receivedAt: (path) => received.filter((each) => each.path === path),
    close: () => {
      // Held requests would keep the server open.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
