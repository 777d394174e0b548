import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/config';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { createLogger } from '../src/logger';
import { InboxMessage, InboxSource } from '../src/modules/ingest/inbox-message.entity';
import { frame, startMllpServer, type MllpServer } from '../src/modules/labs/mllp-server';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let mllp: MllpServer;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  mllp = await startMllpServer(h.orm, createLogger('silent'), { host: '127.0.0.1', port: 0, labOrganizationId: world.claims[Role.LAB].organizationId! });
});
afterAll(async () => {
  await mllp.close();
  await h.close();
});

const fixture = (name: string) => readFileSync(`test/fixtures/hl7/${name}`, 'latin1');

/** Sends bytes in the given pieces and collects `expected` framed ACKs. */
function exchange(pieces: Buffer[], expected: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect((mllp.server.address() as AddressInfo).port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const acks: string[] = [];
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let end;
      while ((end = received.indexOf(Buffer.from([0x1c, 0x0d]))) !== -1) {
        acks.push(received.subarray(1, end).toString('latin1'));
        received = received.subarray(end + 2);
      }
      if (acks.length === expected) {
        socket.end();
        resolve(acks);
      }
    });
    socket.on('error', reject);
    void (async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    })();
  });
}

it('is off unless MLLP_PORT is set, and then needs the lab it serves', () => {
  expect(loadConfig({}).MLLP_PORT).toBeUndefined();
  expect(() => loadConfig({ MLLP_PORT: '2575' })).toThrow(/MLLP_LAB_ORGANIZATION_ID: required when MLLP_PORT is set/);
});

it('stores each framed message with its job and answers each with a framed ACK, in order, even when frames are split', async () => {
  const first = frame(fixture('lithium-preliminary.hl7'));
  const second = frame(fixture('wrong-type.hl7'));
  const bytes = Buffer.concat([first, second]);
  const acks = await exchange([bytes.subarray(0, 25), bytes.subarray(25, first.length + 10), bytes.subarray(first.length + 10)], 2);
  expect(acks[0]).toContain('MSA|AA|LAB-0001');
  expect(acks[1]).toContain('MSA|AR|LAB-0004');

  const stored = await h.orm.em.fork().find(InboxMessage, { source: InboxSource.HL7V2 }, { orderBy: { sourceMessageId: 'asc' } });
  expect(stored.map((message) => [message.sourceMessageId, message.state, message.sourceOrganizationId])).toEqual([
    ['LAB-0001', 'RECEIVED', world.claims[Role.LAB].organizationId],
    ['LAB-0004', 'REJECTED', world.claims[Role.LAB].organizationId],
  ]);
  expect(stored[0].body).toBe(fixture('lithium-preliminary.hl7'));
  expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'message.received', payload: { inboxMessageId: stored[0].id } })).toBe(1);
});
