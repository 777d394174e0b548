import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../../../config';
import { isStorageOutage } from '../../../db/storage-outage';
import { acknowledgement } from './hl7-ack';
import { readEnvelope } from './hl7-envelope';
import { acceptLabMessage } from './hl7.routes';
import { Hl7Problem } from './oru';

/** MLLP framing (HL7 v2.5.1 appendix C): <VT> message <FS><CR>. */
const startBlock = 0x0b;
const fileSeparator = 0x1c;
const carriageReturn = 0x0d;

export const frame = (message: string | Buffer) =>
  Buffer.concat([Buffer.of(startBlock), typeof message === 'string' ? Buffer.from(message, 'utf8') : message, Buffer.of(fileSeparator, carriageReturn)]);

/**
 * Cuts a byte stream into MLLP frames in one pass: each chunk is searched once, from where the
 * last search stopped, and a frame's pieces are joined once, when it ends. Bytes outside a frame
 * are ignored. A frame that grows past `maxFrameBytes` makes the stream unusable (`oversize`).
 */
export class MllpFrameReader {
  private pieces: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  /** The previous chunk ended with FS: a CR at the start of the next one ends the frame. */
  private endBlockBegun = false;
  oversize = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames this chunk completes, in order. Once `oversize`, nothing more is read. */
  read(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length && !this.oversize) {
      if (!this.inFrame) {
        const start = chunk.indexOf(startBlock, offset);
        if (start === -1) break;
        this.inFrame = true;
        offset = start + 1;
        continue;
      }
      if (this.endBlockBegun) {
        this.endBlockBegun = false;
        if (chunk[offset] === carriageReturn) {
          frames.push(this.finishFrame());
          offset += 1;
          continue;
        }
        this.keep(Buffer.of(fileSeparator));
      }
      const separator = chunk.indexOf(fileSeparator, offset);
      if (separator === -1) {
        this.keep(chunk.subarray(offset));
        break;
      }
      this.keep(chunk.subarray(offset, separator));
      if (separator + 1 === chunk.length) {
        this.endBlockBegun = true;
        break;
      }
      if (chunk[separator + 1] === carriageReturn) {
        frames.push(this.finishFrame());
        offset = separator + 2;
      } else {
        // An FS inside the message, not its end.
        this.keep(chunk.subarray(separator, separator + 1));
        offset = separator + 1;
      }
    }
    return frames;
  }

  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.size > this.maxFrameBytes) {
      this.oversize = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }

  private finishFrame(): Buffer {
    const message = Buffer.concat(this.pieces, this.size);
    this.pieces = [];
    this.size = 0;
    this.inFrame = false;
    return message;
  }
}

/** A lab allowed on the listener: its MSH-4 sending facility and the SHA-256 of the secret it sends in MSH-8. */
export interface MllpLabCredential {
  organizationId: string;
  sendingFacility: string;
  secretSha256: string;
}

export interface MllpSettings {
  host: string;
  port: number;
  /** The largest message accepted, as BODY_LIMIT_BYTES over HTTP. */
  maxFrameBytes: number;
  /**
   * Who may send: labs identified by MSH-4 and MSH-8, several on one port; or, as configured before
   * labs had credentials, the one lab the listener serves, identified by the network alone.
   */
  labs: MllpLabCredential[] | { onlyLabOrganizationId: string };
}

/** The listener's settings from the configuration; null when MLLP is off (no MLLP_PORT). */
export function mllpSettingsFrom(config: Config): MllpSettings | null {
  if (config.MLLP_PORT === undefined) return null;
  return {
    host: config.MLLP_HOST,
    port: config.MLLP_PORT,
    maxFrameBytes: config.BODY_LIMIT_BYTES,
    labs: config.MLLP_LABS ?? { onlyLabOrganizationId: config.MLLP_LAB_ORGANIZATION_ID! },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'latin1').digest();

/** The organization the message comes from, or null when it identifies no lab allowed here. */
function identifyLab(labs: MllpSettings['labs'], message: Buffer): string | null {
  if (!Array.isArray(labs)) return labs.onlyLabOrganizationId;
  const { sendingFacility, security } = readEnvelope(message);
  if (!security) return null;
  const presented = sha256(security);
  const lab = labs.find((each) => each.sendingFacility === sendingFacility && timingSafeEqual(presented, Buffer.from(each.secretSha256, 'hex')));
  return lab?.organizationId ?? null;
}

/**
 * An MLLP listener for labs: each framed message goes through the same path as POST /ingest/hl7
 * and is answered with its framed ACK, in order, on the same connection.
 */
export interface MllpServer {
  server: Server;
  /** Stops accepting, lets each connection finish the message it is storing, then closes it. */
  close(): Promise<void>;
}

export async function startMllpServer(orm: MikroORM, logger: Logger, settings: MllpSettings): Promise<MllpServer> {
  const connections = new Map<Socket, () => Promise<void>>();

  /** The ACK to send, or null when the connection must close unanswered so that the lab resends. */
  async function answer(message: Buffer): Promise<string | null> {
    // For the ACKs given here rather than by the route; an ACK echoes only MSH fields.
    const messageText = message.toString('latin1');
    const labOrganizationId = identifyLab(settings.labs, message);
    if (!labOrganizationId) {
      logger.warn('MLLP message refused: its MSH-4 and MSH-8 identify no lab allowed on this listener');
      return acknowledgement(messageText, new Hl7Problem('AR', 207, 'The sending facility (MSH-4) and security (MSH-8) identify no lab allowed here'));
    }
    try {
      const outcome = await acceptLabMessage(orm, labOrganizationId, message, { contentType: 'x-application/hl7-v2+er7', headers: { transport: 'mllp' } });
      return outcome.ack;
    } catch (error) {
      if (isStorageOutage(error)) {
        logger.error({ err: error, labOrganizationId }, 'MLLP message could not be stored (storage unavailable); connection closed unanswered so the lab resends');
        return null;
      }
      // This message cannot be stored however often it is sent: refusing it keeps the lab's feed moving.
      logger.error({ err: error, labOrganizationId }, 'MLLP message could not be stored; answered AE');
      return acknowledgement(messageText, new Hl7Problem('AE', 207, 'The message could not be stored'));
    }
  }

  const server = createServer((socket: Socket) => {
    const reader = new MllpFrameReader(settings.maxFrameBytes);
    let answered = Promise.resolve();
    const inOrder = (work: () => Promise<void>) => {
      answered = answered.then(() => (socket.destroyed ? undefined : work()));
    };
    socket.on('data', (chunk: Buffer) => {
      for (const message of reader.read(chunk)) {
        inOrder(async () => {
          const ack = await answer(message);
          // Unanswered, and nothing after it either: the lab reconnects and resends in order.
          if (ack === null) socket.destroy();
          else socket.write(frame(ack));
        });
      }
      if (reader.oversize) {
        socket.pause();
        socket.removeAllListeners('data');
        inOrder(async () => {
          logger.warn({ maxFrameBytes: settings.maxFrameBytes }, 'MLLP frame over the size limit; connection reset');
          const refusal = acknowledgement('', new Hl7Problem('AR', 207, `A message may not be longer than ${settings.maxFrameBytes} bytes`));
          socket.write(frame(refusal), () => socket.destroy());
        });
      }
    });
    socket.on('error', (error) => logger.warn({ err: error }, 'MLLP connection error'));
    connections.set(socket, () => answered);
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
      await Promise.all(
        [...connections].map(async ([socket, inFlight]) => {
          await inFlight();
          socket.end();
        }),
      );
      await closed;
    },
  };
}
