import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/config';
import { initOrm } from '../src/db/orm';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { createLogger } from '../src/logger';
import { InboxMessage, InboxSource } from '../src/modules/ingest/inbox-message.entity';
import { frame, MllpFrameReader, mllpSettingsFrom, startMllpServer, type MllpServer, type MllpSettings } from '../src/modules/ingest/hl7/mllp-server';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let regionalLabId: string;
let northLabId: string;
/** Both labs on one port, each identified by MSH-4 and its secret in MSH-8. */
let shared: MllpServer;

const regionalSecret = 'regional-7f3a9c2e5b1d';
const northSecret = 'north-0c8e4a6f2d9b';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  regionalLabId = world.claims[Role.LAB].organizationId!;
  const north = new Organization('North Valley Lab', OrganizationKind.LAB);
  await h.orm.em.fork().persist(north).flush();
  northLabId = north.id;
  shared = await startMllpServer(h.orm, h.logger, settings({
    labs: [
      { organizationId: regionalLabId, sendingFacility: 'REGIONAL LAB', secretSha256: sha256(regionalSecret) },
      { organizationId: northLabId, sendingFacility: 'NORTH VALLEY', secretSha256: sha256(northSecret) },
    ],
  }));
});
afterAll(async () => {
  await shared.close();
  await h.close();
});

function settings(overrides: Partial<MllpSettings>): MllpSettings {
  return { host: '127.0.0.1', port: 0, maxFrameBytes: h.config.BODY_LIMIT_BYTES, labs: [], ...overrides };
}

const fixture = (name: string) => readFileSync(`test/fixtures/hl7/${name}`, 'latin1');

/** The message with MSH-4 (sending facility), MSH-8 (security) and MSH-10 (control id) set as given. */
function fromLab(text: string, header: { facility?: string; security?: string; controlId?: string }): string {
  const [msh, ...rest] = text.split('\r');
  const fields = msh.split('|');
  if (header.facility !== undefined) fields[3] = header.facility;
  if (header.security !== undefined) fields[7] = header.security;
  if (header.controlId !== undefined) fields[9] = header.controlId;
  return [fields.join('|'), ...rest].join('\r');
}

const portOf = (server: MllpServer) => (server.server.address() as AddressInfo).port;

/** The framed ACKs the listener sends back, split off the stream. */
function acksOn(socket: Socket): string[] {
  const acks: string[] = [];
  const reader = new MllpFrameReader(1_000_000);
  socket.on('data', (chunk: Buffer) => acks.push(...reader.read(chunk).map((ack) => ack.toString('latin1'))));
  return acks;
}

/**
 * Sends bytes in the given pieces and waits for `expected` ACKs or for the listener to close the
 * connection, whichever comes first.
 */
function exchange(server: MllpServer, pieces: Buffer[], expected: number): Promise<{ acks: string[]; closedByListener: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(server), '127.0.0.1');
    const acks = acksOn(socket);
    socket.on('data', () => {
      if (acks.length < expected) return;
      socket.end();
      resolve({ acks, closedByListener: false });
    });
    socket.on('close', () => resolve({ acks, closedByListener: acks.length < expected }));
    socket.on('error', reject);
    void (async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    })();
  });
}

const storedWith = (controlIds: string[]) =>
  h.orm.em.fork().find(InboxMessage, { source: InboxSource.HL7V2, sourceMessageId: { $in: controlIds } }, { orderBy: { sourceMessageId: 'asc' } });

describe('configuration', () => {
  it('is off unless MLLP_PORT is set, and then needs the labs it serves', () => {
    expect(loadConfig({}).MLLP_PORT).toBeUndefined();
    expect(mllpSettingsFrom(loadConfig({}))).toBeNull();
    expect(() => loadConfig({ MLLP_PORT: '2575' })).toThrow(/MLLP_LABS: when MLLP_PORT is set, give either MLLP_LABS/);
    expect(() => loadConfig({ MLLP_PORT: '2575', MLLP_LABS: 'not json' })).toThrow(/MLLP_LABS: expected a JSON array of labs/);
    expect(() => loadConfig({ MLLP_PORT: '2575', MLLP_LABS: JSON.stringify([{ organizationId: regionalLabId, sendingFacility: 'X', secretSha256: 'plain' }]) })).toThrow(
      /MLLP_LABS.0.secretSha256: the SHA-256 of the secret/,
    );
  });

  it('reads several labs with their credentials, or the one lab of the older configuration, and the frame limit of HTTP', () => {
    const labs = [{ organizationId: regionalLabId, sendingFacility: 'REGIONAL LAB', secretSha256: sha256(regionalSecret) }];
    const several = mllpSettingsFrom(loadConfig({ MLLP_PORT: '2575', MLLP_LABS: JSON.stringify(labs), BODY_LIMIT_BYTES: '65536' }));
    expect(several).toEqual({ host: '127.0.0.1', port: 2575, maxFrameBytes: 65536, labs });
    const one = mllpSettingsFrom(loadConfig({ MLLP_PORT: '2575', MLLP_LAB_ORGANIZATION_ID: regionalLabId }));
    expect(one?.labs).toEqual({ onlyLabOrganizationId: regionalLabId });
  });
});

describe('framing', () => {
  it('finds frames however the stream is cut, keeps an FS that is not followed by CR, and ignores bytes between frames', () => {
    const stream = Buffer.concat([Buffer.from('noise'), frame('A\x1cB'), Buffer.from('\r\n'), frame('second')]);
    for (const size of [1, 2, 3, 7, stream.length]) {
      const reader = new MllpFrameReader(100);
      const frames: string[] = [];
      for (let offset = 0; offset < stream.length; offset += size) frames.push(...reader.read(stream.subarray(offset, offset + size)).map(String));
      expect({ size, frames }).toEqual({ size, frames: ['A\x1cB', 'second'] });
    }
  });

  it('reads a frame in time linear in its size, however small the chunks', () => {
    const message = Buffer.alloc(4 * 1024 * 1024, 'A');
    const stream = frame(message);
    const reader = new MllpFrameReader(message.length);
    const frames: Buffer[] = [];
    const started = performance.now();
    // 256-byte chunks: copying or searching what was already received on each one would take minutes.
    for (let offset = 0; offset < stream.length; offset += 256) frames.push(...reader.read(stream.subarray(offset, offset + 256)));
    const elapsedMs = performance.now() - started;
    expect(frames).toHaveLength(1);
    expect(frames[0].equals(message)).toBe(true);
    // Linear takes tens of milliseconds; the bound leaves room for a loaded CI machine.
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('gives up on a frame longer than the limit', () => {
    const reader = new MllpFrameReader(10);
    expect(reader.read(frame('0123456789')).map(String)).toEqual(['0123456789']);
    expect(reader.read(Buffer.from('\x0b01234567890'))).toEqual([]);
    expect(reader.oversize).toBe(true);
  });
});

it('stores each framed message with its job and answers each with a framed ACK, in order, even when frames are split', async () => {
  const first = frame(fromLab(fixture('lithium-preliminary.hl7'), { security: regionalSecret }));
  const second = frame(fromLab(fixture('wrong-type.hl7'), { security: regionalSecret }));
  const bytes = Buffer.concat([first, second]);
  // The second cut falls between the first frame's FS and CR.
  const { acks } = await exchange(shared, [bytes.subarray(0, 25), bytes.subarray(25, first.length - 1), bytes.subarray(first.length - 1)], 2);
  expect(acks[0]).toContain('MSA|AA|LAB-0001');
  expect(acks[1]).toContain('MSA|AR|LAB-0004');

  const stored = await storedWith(['LAB-0001', 'LAB-0004']);
  expect(stored.map((message) => [message.sourceMessageId, message.state, message.sourceOrganizationId])).toEqual([
    ['LAB-0001', 'RECEIVED', regionalLabId],
    ['LAB-0004', 'REJECTED', regionalLabId],
  ]);
  expect(stored[0].body).toBe(fromLab(fixture('lithium-preliminary.hl7'), { security: regionalSecret }));
  expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'message.received', payload: { inboxMessageId: stored[0].id } })).toBe(1);
});

it('lets several labs share the port, each known by MSH-4 and its secret in MSH-8; anything else is refused (AR) and not stored', async () => {
  const message = (controlId: string, facility: string, security: string) =>
    frame(fromLab(fixture('lithium-preliminary.hl7'), { controlId, facility, security }));
  const { acks } = await exchange(
    shared,
    [
      Buffer.concat([
        message('SHARE-1', 'REGIONAL LAB', regionalSecret),
        message('SHARE-2', 'NORTH VALLEY', northSecret),
        message('SHARE-3', 'REGIONAL LAB', northSecret),
        message('SHARE-4', 'ELSEWHERE LAB', regionalSecret),
        message('SHARE-5', 'NORTH VALLEY', ''),
        message('SHARE-6', 'NORTH VALLEY', `${northSecret}x`),
      ]),
    ],
    6,
  );
  expect(acks.map((ack) => /\rMSA\|([A-Z]{2})\|([^|\r]*)/.exec(ack)?.slice(1))).toEqual([
    ['AA', 'SHARE-1'],
    ['AA', 'SHARE-2'],
    ['AR', 'SHARE-3'],
    ['AR', 'SHARE-4'],
    ['AR', 'SHARE-5'],
    ['AR', 'SHARE-6'],
  ]);
  const stored = await storedWith(['SHARE-1', 'SHARE-2', 'SHARE-3', 'SHARE-4', 'SHARE-5', 'SHARE-6']);
  expect(stored.map((each) => [each.sourceMessageId, each.sourceOrganizationId])).toEqual([
    ['SHARE-1', regionalLabId],
    ['SHARE-2', northLabId],
  ]);
});

it('still serves the one lab of the older configuration, identified by the listener alone', async () => {
  const listener = await startMllpServer(h.orm, createLogger('silent'), settings({ labs: { onlyLabOrganizationId: northLabId } }));
  try {
    const { acks } = await exchange(listener, [frame(fromLab(fixture('lithium-preliminary.hl7'), { controlId: 'ONE-LAB-1' }))], 1);
    expect(acks[0]).toContain('MSA|AA|ONE-LAB-1');
    expect((await storedWith(['ONE-LAB-1'])).map((each) => each.sourceOrganizationId)).toEqual([northLabId]);
  } finally {
    await listener.close();
  }
});

it('answers an unusable message (a NUL byte) with AE and a generic text, and goes on with the next one on the same connection', async () => {
  // A NUL byte inside the note; nothing of the message may come back or reach the log.
  const unusable = fromLab(fixture('lithium-preliminary.hl7'), { controlId: 'NUL-1', security: regionalSecret }).replace('to be verified', 'to be\x00verified');
  const next = fromLab(fixture('lithium-preliminary.hl7'), { controlId: 'AFTER-NUL-1', security: regionalSecret });
  h.logLines.length = 0;
  const { acks, closedByListener } = await exchange(shared, [Buffer.concat([frame(unusable), frame(next)])], 2);
  expect(closedByListener).toBe(false);
  expect(acks.map((ack) => /\rMSA\|([A-Z]{2})\|([^|\r]*)/.exec(ack)?.slice(1))).toEqual([
    ['AE', 'NUL-1'],
    ['AA', 'AFTER-NUL-1'],
  ]);
  expect((await storedWith(['AFTER-NUL-1'])).map((each) => each.state)).toEqual(['RECEIVED']);
  for (const text of [acks[0], ...h.logLines]) {
    expect(text).not.toMatch(/Avery|Demo|19880412|Elm St|verified/);
  }
});

it('answers AE and goes on when the database refuses one message, whatever the reason', async () => {
  // A data exception the database raises for this message alone (as a trigger here).
  const connection = h.orm.em.getConnection();
  await connection.execute(`create function refuse_poison() returns trigger language plpgsql as $$
    begin if new.source_message_id like 'POISON-%' then raise exception 'refused' using errcode = '22023'; end if; return new; end $$`);
  await connection.execute('create trigger refuse_poison before insert on inbox_message for each row execute function refuse_poison()');
  try {
    const messages = ['POISON-1', 'AFTER-POISON-1'].map((controlId) => frame(fromLab(fixture('lithium-preliminary.hl7'), { controlId, security: regionalSecret })));
    h.logLines.length = 0;
    const { acks, closedByListener } = await exchange(shared, [Buffer.concat(messages)], 2);
    expect(closedByListener).toBe(false);
    expect(acks.map((ack) => /\rMSA\|([A-Z]{2})\|([^|\r]*)/.exec(ack)?.slice(1))).toEqual([
      ['AE', 'POISON-1'],
      ['AA', 'AFTER-POISON-1'],
    ]);
    expect(acks[0]).toContain('The message could not be stored');
    expect((await storedWith(['POISON-1', 'AFTER-POISON-1'])).map((each) => each.sourceMessageId)).toEqual(['AFTER-POISON-1']);
    // The database's error quotes the statement with the message's bytes: the log line keeps none of it.
    const logged = h.logLines.join('');
    expect(logged).toContain('answered AE');
    expect(logged).not.toMatch(/Avery|Demo|19880412|Elm St|insert into/i);
  } finally {
    await connection.execute('drop trigger refuse_poison on inbox_message; drop function refuse_poison()');
  }
});

describe('when the database cannot be reached', () => {
  let unreachable: MikroORM;
  let listener: MllpServer;
  beforeAll(async () => {
    unreachable = await initOrm({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/carebridge', DATABASE_POOL_MAX: 1 }, { connect: false });
    listener = await startMllpServer(unreachable, createLogger('silent'), settings({ labs: { onlyLabOrganizationId: regionalLabId } }));
  });
  afterAll(async () => {
    await listener.close();
    await unreachable.close();
  });

  it('closes the connection without acknowledging that message or any after it, so the lab resends them', async () => {
    const messages = ['DOWN-1', 'DOWN-2'].map((controlId) => frame(fromLab(fixture('lithium-preliminary.hl7'), { controlId })));
    const { acks, closedByListener } = await exchange(listener, [Buffer.concat(messages)], 2);
    expect(closedByListener).toBe(true);
    expect(acks).toEqual([]);
  });
});

it('cuts off a stream without an end block at the frame limit, quickly, while serving another connection', async () => {
  const limit = h.config.BODY_LIMIT_BYTES;
  const streamBytes = 36 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const flood = connect(portOf(shared), '127.0.0.1');
  const floodAcks = acksOn(flood);
  flood.on('error', () => undefined); // the listener resets it
  const floodClosed = new Promise<number>((resolve) => flood.on('close', () => resolve(Date.now())));
  let written = 0;
  /** Writes the frame's body until `upTo` bytes, the connection closes, or 5 s pass. */
  const pump = async (upTo: number) => {
    const giveUpAt = Date.now() + 5000;
    while (!flood.destroyed && written < upTo && Date.now() < giveUpAt) {
      const piece = chunk.subarray(0, Math.min(chunk.length, upTo - written));
      written += piece.length;
      if (!flood.write(piece)) await new Promise((resolve) => { flood.once('drain', resolve); flood.once('close', resolve); });
    }
  };
  await new Promise((resolve) => flood.once('connect', resolve));
  flood.write(Buffer.of(0x0b));
  await pump(limit - 1024);

  // Most of a frame's worth is waiting on the first connection: another lab is served meanwhile.
  const askedAt = Date.now();
  const { acks } = await exchange(shared, [frame(fromLab(fixture('lithium-preliminary.hl7'), { controlId: 'BESIDE-FLOOD-1', security: regionalSecret }))], 1);
  const answeredAfterMs = Date.now() - askedAt;
  expect(acks[0]).toContain('MSA|AA|BESIDE-FLOOD-1');
  expect(answeredAfterMs).toBeLessThan(1000);
  expect(flood.destroyed).toBe(false);

  const resumedAt = Date.now();
  await pump(streamBytes);
  // A listener that never cuts the stream off fails the bounds below instead of hanging the test.
  if (!flood.destroyed) flood.destroy();
  const cutAfterMs = (await floodClosed) - resumedAt;
  expect(cutAfterMs).toBeLessThan(2000);
  expect(written).toBeLessThan(streamBytes);
  expect(floodAcks.join('')).toMatch(/MSA\|AR\|/);
}, 20_000);
