import { createServer, type Server, type Socket } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { acceptLabMessage } from './hl7.routes';

/** MLLP framing: <VT> message <FS><CR>. */
const startBlock = 0x0b;
const endBlock = Buffer.from([0x1c, 0x0d]);

export const frame = (text: string) => Buffer.concat([Buffer.from([startBlock]), Buffer.from(text, 'utf8'), endBlock]);

export interface MllpSettings {
  host: string;
  port: number;
  /** MLLP has no credentials: a listener serves one lab, identified by configuration and network. */
  labOrganizationId: string;
}

/**
 * An MLLP listener for one lab: each framed message goes through the same path as
 * POST /ingest/hl7 and is answered with its framed ACK, in order, on the same connection.
 */
export interface MllpServer {
  server: Server;
  /** Stops accepting, lets each connection finish the message it is storing, then closes it. */
  close(): Promise<void>;
}

export async function startMllpServer(orm: MikroORM, logger: Logger, settings: MllpSettings): Promise<MllpServer> {
  const connections = new Map<Socket, () => Promise<void>>();
  const server = createServer((socket: Socket) => {
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const start = pending.indexOf(startBlock);
        const end = pending.indexOf(endBlock, start + 1);
        if (start === -1 || end === -1) break;
        // The frame's bytes, decoded by the same path as the HTTP route's.
        const raw = Buffer.from(pending.subarray(start + 1, end));
        pending = pending.subarray(end + endBlock.length);
        chain = chain.then(async () => {
          try {
            const outcome = await acceptLabMessage(orm, settings.labOrganizationId, raw, { contentType: 'x-application/hl7-v2+er7', headers: { transport: 'mllp' } });
            socket.write(frame(outcome.ack));
          } catch (error) {
            // No ACK, and no later ACK on this connection either: the lab reconnects and resends in order.
            logger.error({ err: error }, 'MLLP message could not be stored; connection closed so the lab resends');
            socket.destroy();
          }
        });
      }
    });
    socket.on('error', (error) => logger.warn({ err: error }, 'MLLP connection error'));
    connections.set(socket, () => chain);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  return {
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map(async ([socket, inFlight]) => {
        await inFlight();
        socket.end();
      }));
      await closed;
    },
  };
}
