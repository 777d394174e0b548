import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { LinkMatchReviewDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let lab: string;
let workers: { stop(): Promise<void> };

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'hl7', name), 'latin1');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  lab = await h.token(world.claims[Role.LAB]);
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

function send(body: string, token: string | null = lab) {
  return h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
}

async function processed(controlId: string): Promise<InboxMessage> {
  return until(
    async () => (await h.orm.em.fork().find(InboxMessage, { source: InboxSource.HL7V2, sourceMessageId: controlId }))[0],
    (message) => message !== undefined && message.state !== InboxState.RECEIVED,
  );
}

const ackCode = (ack: string) => /\rMSA\|([A-Z]{2})\|/.exec(ack)?.[1];

describe('POST /ingest/hl7', () => {
  it('answers an unauthenticated or non-lab sender with AR and stores nothing', async () => {
    const anonymous = await send(fixture('lithium-preliminary.hl7'), null);
    expect(anonymous.statusCode).toBe(401);
    expect(ackCode(anonymous.body)).toBe('AR');
    const pcp = await send(fixture('lithium-preliminary.hl7'), await h.token(world.claims[Role.PCP]));
    expect(pcp.statusCode).toBe(403);
    expect(await h.orm.em.fork().count(InboxMessage, { source: InboxSource.HL7V2 })).toBe(0);
  });

  it('stores the message, acknowledges AA, and the lab-results worker imports it for the matched patient', async () => {
    const response = await send(fixture('lithium-preliminary.hl7'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/hl7-v2/);
    expect(response.body).toMatch(/^MSH\|\^~\\&\|CAREBRIDGE\|HARBOR\|LABSYS\|REGIONAL LAB\|/);
    expect(response.body).toContain('\rMSA|AA|LAB-0001');

    const message = await processed('LAB-0001');
    expect(message.state).toBe('PROCESSED');
    expect(message.body).toBe(fixture('lithium-preliminary.hl7'));
    const [result] = await h.orm.em.fork().find(LabResult, { patient: world.patients[0].id, loincCode: '14334-7' });
    expect(result).toMatchObject({
      testName: 'Lithium [Moles/volume] in Serum or Plasma',
      valueNumeric: 0.9,
      unit: 'mmol/L',
      referenceLow: 0.6,
      referenceHigh: 1.2,
      resultStatus: 'PRELIMINARY',
      sourceSystem: 'LABSYS',
      sourceRecordId: 'LAB-0001/1',
      supersededAt: null,
      comment: 'Preliminary & to be verified',
    });
  });

  it('keeps a corrected result and the one it supersedes in history', async () => {
    await send(fixture('lithium-corrected.hl7'));
    await processed('LAB-0002');
    const versions = await h.orm.em.fork().find(LabResult, { patient: world.patients[0].id, loincCode: '14334-7' }, { orderBy: { createdAt: 'asc' } });
    expect(versions.map((version) => [version.resultStatus, version.valueNumeric])).toEqual([
      ['PRELIMINARY', 0.9],
      ['CORRECTED', 1.1],
    ]);
    expect(versions[0].supersededById).toBe(versions[1].id);
    expect(versions[1].supersededAt).toBeNull();
  });

  it('acknowledges a resend AA without storing or importing it twice', async () => {
    const again = await send(fixture('lithium-corrected.hl7'));
    expect(ackCode(again.body)).toBe('AA');
    expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'LAB-0002' })).toBe(1);
    expect(await h.orm.em.fork().count(LabResult, { sourceRecordId: 'LAB-0002/1' })).toBe(1);
  });

  it('reads several orders, LF line endings, empty segments, SN values, escapes and cancelled results', async () => {
    const response = await send(fixture('multi-order-lf.hl7'));
    expect(ackCode(response.body)).toBe('AA');
    expect((await processed('LAB-0003')).state).toBe('PROCESSED');
    const results = await h.orm.em.fork().find(LabResult, { sourceRecordId: { $like: 'LAB-0003/%' } }, { orderBy: { sourceRecordId: 'asc' } });
    expect(results).toHaveLength(5);
    const byCode = Object.fromEntries(results.map((result) => [result.loincCode, result]));
    expect(byCode['751-8']).toMatchObject({ valueNumeric: 2.4, unit: '10*3/uL', resultStatus: 'FINAL' });
    expect(byCode['4086-7']).toMatchObject({ valueNumeric: 82, referenceLow: 50, referenceHigh: 100 });
    expect(byCode['2160-0']).toMatchObject({ resultStatus: 'CANCELLED', referenceHigh: 1.3, referenceLow: null });
    expect(byCode['18282-4']).toMatchObject({ testName: 'Drug screen ^ urine', valueText: 'Negative & confirmed', categories: ['LABS', 'SUD'] });
    // OBR-7 has no offset: it is the sender's local time, the -0500 of its MSH-7.
    expect(byCode['751-8']).toMatchObject({ effectiveAt: new Date('2026-11-26T12:00:00.000Z'), effectiveTimeSource: 'COLLECTION_TIME' });
  });

  it.each([
    ['wrong-type.hl7', 'LAB-0004', 'AR', '200', /MSH-9: only ORU\^R01/],
    ['bad-status.hl7', 'LAB-0005', 'AE', '103', /OBX-11 .*result status not accepted/],
  ])('answers %s with %s and the reason, keeping it as REJECTED', async (file, controlId, code, condition, reason) => {
    const response = await send(fixture(file));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`MSA|${code}|${controlId}`);
    expect(response.body).toMatch(new RegExp(`\\rERR\\|\\|[^|]*\\|${condition}\\^[^|]*\\^HL70357\\|E\\|`));
    const [message] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: controlId });
    expect(message).toMatchObject({ state: 'REJECTED', body: fixture(file) });
    expect(message.error).toMatch(reason);
  });

  it('answers text that is not HL7 at all with an AR ACK of its own, keeping the text', async () => {
    const response = await send('hello, this is not a lab result');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/^MSH\|\^~\\&\|CAREBRIDGE\|CAREBRIDGE\|/);
    expect(ackCode(response.body)).toBe('AR');
    expect(response.body).toContain('\rERR||MSH^1|100^Segment sequence error^HL70357|E|');
    expect(await h.orm.em.fork().count(InboxMessage, { raw: Buffer.from('hello, this is not a lab result'), state: InboxState.REJECTED })).toBe(1);
  });

  it('holds a result for an unknown patient for review; linking it imports it', async () => {
    expect(ackCode((await send(fixture('unknown-patient.hl7'))).body)).toBe('AA');
    const message = await processed('LAB-0006');
    expect(message.state).toBe('HELD');
    const review = await h.orm.em.fork().findOneOrFail(MatchReview, { inboxMessage: message.id });
    const linked = await h.graphql(LinkMatchReviewDocument, { reviewId: review.id, patientId: world.patients[2].id }, await h.token(world.claims[Role.ADMIN]));
    expect(linked.data?.linkMatchReview.review.status).toBe('LINKED');
    expect(await h.orm.em.fork().count(LabResult, { patient: world.patients[2].id, sourceRecordId: 'LAB-0006/1' })).toBe(1);
  });

  it.each([
    ['an MSH with nothing in it', 'MSH|', 'AR', '102'],
    ['a control id reused for a different message', fixture('lithium-preliminary.hl7').replace('0.9|mmol/L', '0.4|mmol/L'), 'AE', '205'],
    ['a unit longer than it can be stored', fixture('unknown-patient.hl7').replace('LAB-0006', 'LAB-0007').replace('|95|mg/dL|', `|95|${'x'.repeat(60)}|`), 'AE', '102'],
  ])('answers %s with %s %s, not an error', async (_label, body, code, condition) => {
    const response = await send(body);
    expect(response.statusCode).toBe(400);
    expect(ackCode(response.body)).toBe(code);
    expect(response.body).toContain(`|${condition}^`);
  });

  it('dates results without OBX-14 or OBR-7 by the message time, so a trend follows observation order, not arrival', async () => {
    // Observed on 1 December (1.8), then on 2 December (1.6); the later observation arrives first.
    const lithiumAt = (controlId: string, messageTime: string, value: string) =>
      fixture('lithium-preliminary.hl7')
        .replace('LAB-0001', controlId)
        .replace('20261126101500', messageTime)
        .replace('ORD1|FIL1|14334-7^Lithium^LN|||20261126080000', `ORD-${controlId}|FIL-${controlId}|14334-7^Lithium^LN`)
        .replace('ORD1|FIL1\r', `ORD-${controlId}|FIL-${controlId}\r`)
        .replace('||0.9|mmol/L|0.6-1.2|N|||P|||20261126090000', `||${value}|mmol/L|0.6-1.2|N|||F`);
    expect(ackCode((await send(lithiumAt('LAB-0010', '20261202090000', '1.6'))).body)).toBe('AA');
    expect((await processed('LAB-0010')).state).toBe('PROCESSED');
    expect(ackCode((await send(lithiumAt('LAB-0011', '20261201090000', '1.8'))).body)).toBe('AA');
    expect((await processed('LAB-0011')).state).toBe('PROCESSED');

    const trends = await h.graphql<{ patient: { labTrends: { test: string; direction: string; points: { valueNumeric: number; effectiveAt: string; effectiveTimeSource: string }[] }[] } }, { id: string }>(
      'query ($id: ID!) { patient(id: $id) { labTrends { test direction points { valueNumeric effectiveAt effectiveTimeSource } } } }',
      { id: world.patients[0].id },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    const lithium = trends.data!.patient.labTrends.find((trend) => trend.test.startsWith('Lithium'))!;
    expect(lithium.points.slice(-2)).toEqual([
      { valueNumeric: 1.8, effectiveAt: '2026-12-01T09:00:00.000Z', effectiveTimeSource: 'MESSAGE_TIME' },
      { valueNumeric: 1.6, effectiveAt: '2026-12-02T09:00:00.000Z', effectiveTimeSource: 'MESSAGE_TIME' },
    ]);
    expect(lithium.direction).toBe('DOWN');
  });

  it('keeps where an order stands from a status-only message, and the latest report of it as current, by the lab\'s status time', async () => {
    const statusOnly = readFileSync(join(__dirname, 'fixtures', 'hl7', 'corpus', 'c25-status-only.hl7'), 'latin1');
    expect(ackCode((await send(statusOnly)).body)).toBe('AA');
    expect((await processed('CORPUS-C25')).state).toBe('PROCESSED');
    // Final 10 minutes later; then a late "in process" report stamped before the final.
    const final = statusOnly.replace('CORPUS-C25', 'ORDER-FINAL').replace('20261201080000|||I', '20261201081000|||F')
      .concat('\rOBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F|||20261130080000');
    expect(ackCode((await send(final)).body)).toBe('AA');
    expect((await processed('ORDER-FINAL')).state).toBe('PROCESSED');
    const late = statusOnly.replace('CORPUS-C25', 'ORDER-LATE').replace('20261201080000|||I', '20261201080500|||I');
    expect(ackCode((await send(late)).body)).toBe('AA');
    expect((await processed('ORDER-LATE')).state).toBe('PROCESSED');

    const orders = await h.graphql<{ patient: { labOrders: { orderId: string; testName: string; orderStatus: string; statusChangedAt: string }[] } }, { id: string }>(
      'query ($id: ID!) { patient(id: $id) { labOrders { orderId testName orderStatus statusChangedAt } } }',
      { id: world.patients[0].id },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    expect(orders.data!.patient.labOrders.filter((order) => order.orderId === 'FL25')).toEqual([
      { orderId: 'FL25', testName: 'Metabolic panel', orderStatus: 'FINAL', statusChangedAt: '2026-12-01T13:10:00.000Z' },
    ]);
  });

  it('tells apart the same identifier value from two assigning authorities: the other clinic\'s patient is not matched', async () => {
    const otherClinic = fixture('lithium-preliminary.hl7')
      .replace('LAB-0001', 'LAB-0008')
      .replace('L-555^^^REGLAB^MR~999-11-2222^^^SSA^SS', 'L-555^^^OTHERCLINIC^MR')
      .replace('Demo^Avery^Q', 'Other^Person')
      .replace('(555) 010-1234', '');
    // Same value and birth date as a patient the lab already sent, but issued by another clinic.
    expect(ackCode((await send(otherClinic)).body)).toBe('AA');
    expect((await processed('LAB-0008')).state).toBe('HELD');
  });
});
