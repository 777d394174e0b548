import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { RejectMatchReviewDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { readFhirOutcome, sendFhirBundle, sendHl7Message } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/*
 * 42 CFR §2.13(c): a program may not acknowledge that a patient is in it. A sender with no consent
 * from the patient (here a primary-care practice, and a lab) must get the same answers for a
 * patient a Part 2 program treats as for one nobody here knows: the link is the worker's business.
 */

let h: Harness;
let world: World;
let second: SecondProgram;
let pcp: string;
let admin: string;
let workers: { stop(): Promise<void> };

const fixture = (...path: string[]) => readFileSync(join(__dirname, 'fixtures', ...path), 'latin1');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  // Known only to the second (Part 2) program, and matched with certainty by name, birth date and phone.
  await h.orm.em.fork().nativeUpdate(Patient, { id: second.ownPatientId }, { phone: '555-010-7777' });
  pcp = await h.token(world.claims[Role.PCP]);
  admin = await h.token(world.claims[Role.ADMIN]);
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

/** The practice's Bundle about a person, under a Bundle id of the same length for each. */
function bundleAbout(bundleId: string, person: { given: string; family: string; phone: string; identifier: string }): string {
  const bundle = JSON.parse(fixture('fhir', 'pcp-bundle.json')) as { id: string; entry: { resource: Record<string, unknown> }[] };
  bundle.id = bundleId;
  Object.assign(bundle.entry[0].resource, {
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: person.identifier }],
    name: [{ use: 'official', family: person.family, given: [person.given] }],
    birthDate: '1970-01-01',
    telecom: [{ system: 'phone', value: person.phone }],
  });
  return JSON.stringify(bundle);
}

const known = { given: 'Second', family: 'Patient', phone: '555-010-7777', identifier: 'MAPLE-7001' };
const unknown = { given: 'Nobody', family: 'Heretofore', phone: '555-010-8888', identifier: 'MAPLE-8001' };

const uuids = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** An answer as the sender sees it, its message ids and the time it was sent taken out. */
function seen(response: LightMyRequestResponse) {
  const { date: _date, ...headers } = response.headers;
  return { status: response.statusCode, headers: JSON.parse(JSON.stringify(headers).replace(uuids, '<id>')) as unknown, body: response.body.replace(uuids, '<id>') };
}

describe('a practice without consent cannot tell a known patient from an unknown one', () => {
  it('gets byte-identical answers, apart from ids, on receipt, on reading the outcome and on a resend; the worker links or holds', async () => {
    const knownBundle = bundleAbout('existence-known', known);
    const unknownBundle = bundleAbout('existence-unkno', unknown);

    const sentKnown = await sendFhirBundle(h, pcp, knownBundle);
    const sentUnknown = await sendFhirBundle(h, pcp, unknownBundle);
    expect(sentKnown.response.statusCode).toBe(202);
    expect(seen(sentUnknown.response)).toEqual(seen(sentKnown.response));

    // The worker decided the link: imported for the second program's patient, or held for review.
    expect(sentKnown.message!.state).toBe(InboxState.PROCESSED);
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: second.ownPatientId, inboxMessageId: sentKnown.message!.id })).toBe(5);
    expect(sentUnknown.message!.state).toBe(InboxState.HELD);
    const review = await h.orm.em.fork().findOneOrFail(MatchReview, { inboxMessage: sentUnknown.message!.id });

    const readKnown = await readFhirOutcome(h, pcp, sentKnown.message!.id);
    const readUnknown = await readFhirOutcome(h, pcp, sentUnknown.message!.id);
    expect(readKnown.statusCode).toBe(200);
    expect(seen(readUnknown)).toEqual(seen(readKnown));
    // What the content alone says is still told: the Immunization and the Condition without an ICD-10-CM code are not imported.
    expect(readKnown.json<{ issue: { code: string }[] }>().issue.filter((each) => each.code === 'not-supported')).toHaveLength(2);

    const resentKnown = await sendFhirBundle(h, pcp, knownBundle);
    const resentUnknown = await sendFhirBundle(h, pcp, unknownBundle);
    expect(resentKnown.response.statusCode).toBe(200);
    expect(seen(resentUnknown.response)).toEqual(seen(resentKnown.response));

    // Rejected in review (which only a held Bundle can be): still read like the imported one.
    const rejected = await h.graphql(RejectMatchReviewDocument, { reviewId: review.id }, admin);
    expect(rejected.data?.rejectMatchReview.review.status).toBe('REJECTED');
    expect(seen(await readFhirOutcome(h, pcp, sentUnknown.message!.id))).toEqual(seen(await readFhirOutcome(h, pcp, sentKnown.message!.id)));
    expect(seen((await sendFhirBundle(h, pcp, unknownBundle)).response)).toEqual(seen((await sendFhirBundle(h, pcp, knownBundle)).response));
  });

  it('still tells the sender of a Bundle refused on receipt why, when it reads the outcome', async () => {
    const invalid = fixture('fhir', 'invalid-bundle.json');
    const { response } = await sendFhirBundle(h, pcp, invalid);
    expect(response.statusCode).toBe(400);
    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-bad' });
    const read = await readFhirOutcome(h, pcp, stored.id);
    expect(read.json<{ issue: { severity: string }[] }>().issue[0].severity).toBe('error');
  });
});

describe('a lab cannot tell a known patient from an unknown one by its ACKs', () => {
  /** The lab's result, about Avery (known) or about a person nobody here knows, under a control id of the same length. */
  function resultAbout(controlId: string, about: 'known' | 'unknown'): string {
    const message = fixture('hl7', 'lithium-preliminary.hl7').replace('LAB-0001', controlId);
    return about === 'known' ? message : message.replace(/\rPID\|[^\r]*/, '\rPID|1||L-999^^^REGLAB^MR||Unknown^Person||19991231');
  }

  /** An ACK, its time, its own id and the echoed control id taken out. */
  const ackSeen = (ack: string, controlId: string) => ack.replace(/\|\d{14}\+0000\|/, '|<time>|').replace(uuids, '<id>').replaceAll(controlId, '<control-id>');

  it('acknowledges both alike, and a resend alike even once the unknown one was rejected in review', async () => {
    await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
    const lab = await h.token(world.claims[Role.LAB]);
    const knownResult = resultAbout('EXIST-K1', 'known');
    const unknownResult = resultAbout('EXIST-U1', 'unknown');

    const first = { known: await sendHl7Message(h, lab, knownResult), unknown: await sendHl7Message(h, lab, unknownResult) };
    expect(first.known.message!.state).toBe(InboxState.PROCESSED);
    expect(first.unknown.message!.state).toBe(InboxState.HELD);
    expect(first.known.ack).toBe('AA');
    expect(ackSeen(first.unknown.response.body, 'EXIST-U1')).toBe(ackSeen(first.known.response.body, 'EXIST-K1'));

    const review = await h.orm.em.fork().findOneOrFail(MatchReview, { inboxMessage: first.unknown.message!.id });
    await h.graphql(RejectMatchReviewDocument, { reviewId: review.id }, admin);
    const resent = { known: await sendHl7Message(h, lab, knownResult), unknown: await sendHl7Message(h, lab, unknownResult) };
    expect(resent.unknown.message!.state).toBe(InboxState.REJECTED);
    expect([resent.unknown.response.statusCode, resent.unknown.ack]).toEqual([200, 'AA']);
    expect(ackSeen(resent.unknown.response.body, 'EXIST-U1')).toBe(ackSeen(resent.known.response.body, 'EXIST-K1'));
  });
});
