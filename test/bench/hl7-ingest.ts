import { createHash } from 'node:crypto';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Role } from '../../src/auth/roles';
import { createLogger } from '../../src/logger';
import { InboxMessage, InboxState } from '../../src/modules/ingest/inbox-message.entity';
import { frame, MllpFrameReader, startMllpServer } from '../../src/modules/ingest/hl7/mllp-server';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../../src/modules/patients/patient-identifier.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { startHarness, type Harness } from '../helpers/harness';
import { startTestWorkers, until } from '../helpers/workers';
import { seedWorld } from '../helpers/world';
import { measure, row } from './measure';

const secret = 'bench-lab-secret';
const inFlight = 8;

/** An ORU^R01 with one final result for the lab's patient number `mrn`. */
function oru(controlId: string, mrn: string, patient: Patient): string {
  return [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000|${secret}|ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${mrn}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replace(/-/g, '')}`,
    `OBR|1|${controlId}|${controlId}-F|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F`,
    'OBX|1|NM|2823-3^Potassium [Moles/volume] in Serum or Plasma^LN||4.1|mmol/L|3.5-5.1|N|||F|||20261201070000',
  ].join('\r');
}

/** One MLLP connection that sends a message and waits for its ACK, as labs do. */
function mllpClient(port: number): { send(message: string): Promise<string>; close(): void } {
  const socket: Socket = connect(port, '127.0.0.1');
  const reader = new MllpFrameReader(1_000_000);
  const waiting: ((ack: string) => void)[] = [];
  socket.on('data', (chunk: Buffer) => reader.read(chunk).forEach((ack) => waiting.shift()?.(ack.toString('latin1'))));
  return {
    send: (message) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(frame(message));
      }),
    close: () => socket.end(),
  };
}

/** How fast the worker imports the `waiting` messages accepted since the last run (relay included). */
export async function importWaiting(h: Harness, waiting: number): Promise<{ perSecond: number; seconds: number }> {
  const processed = () => h.orm.em.fork().count(InboxMessage, { state: InboxState.PROCESSED });
  const expected = (await processed()) + waiting;
  const workers = startTestWorkers(h);
  const started = performance.now();
  const done = await until(processed, (count) => count >= expected, 300_000);
  const seconds = (performance.now() - started) / 1000;
  await workers.stop();
  if (done < expected) throw new Error(`benchmark: ${done} of ${expected} messages imported`);
  return { perSecond: waiting / seconds, seconds };
}

/**
 * HL7 v2 ORU^R01 ingest: messages accepted per second over HTTP (POST /ingest/hl7) and over MLLP
 * (8 connections, one message in flight each), then imported per second by the worker
 * (WORKER_CONCURRENCY 8), for messages spread over 200 patients and for one patient, whose
 * imports wait for each other.
 */
export async function hl7IngestBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '12', WORKER_CONCURRENCY: String(inFlight) }, template);
  try {
    const world = await seedWorld(h.orm.em.fork());
    const labId = world.claims[Role.LAB].organizationId!;
    const listener = await startMllpServer(h.orm, createLogger('silent'), {
      host: '127.0.0.1',
      port: 0,
      maxFrameBytes: h.config.BODY_LIMIT_BYTES,
      labs: [{ organizationId: labId, sendingFacility: 'REGIONAL LAB', secretSha256: createHash('sha256').update(secret).digest('hex') }],
    });
    const em = h.orm.em.fork();
    const lab = em.getReference(Organization, labId);
    const patients = Array.from({ length: 200 }, (_, index) => new Patient(`Given${index}`, `Bench${index}`, `19${String(50 + (index % 50))}-03-14`));
    em.persist(patients);
    em.persist(patients.map((patient, index) => new PatientIdentifier(patient, lab, `BENCH-${index}`, 'REGLAB')));
    await em.flush();

    const token = await h.token(world.claims[Role.LAB], '1h');
    let sequence = 0;
    const nextMessage = (onePatient = false) => {
      const index = onePatient ? 0 : sequence % patients.length;
      return oru(`BENCH-${++sequence}`, `BENCH-${index}`, patients[index]);
    };
    const overHttp = (onePatient = false) => async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/ingest/hl7',
        headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${token}` },
        payload: nextMessage(onePatient),
      });
      if (!response.body.includes('MSA|AA|')) throw new Error('benchmark message refused');
    };
    const clients = Array.from({ length: inFlight }, () => mllpClient((listener.server.address() as AddressInfo).port));
    let client = 0;
    const overMllp = async () => {
      const ack = await clients[client++ % clients.length].send(nextMessage());
      if (!ack.includes('MSA|AA|')) throw new Error('benchmark message refused');
    };

    const messages = 1000;
    const http = await measure(messages, inFlight, overHttp());
    const mllpStats = await measure(messages, inFlight, overMllp);
    clients.forEach((each) => each.close());
    await listener.close();
    const spread = await importWaiting(h, 2 * messages);
    const onePatientMessages = 300;
    await measure(onePatientMessages, inFlight, overHttp(true));
    const onePatient = await importWaiting(h, onePatientMessages);

    console.log(`\nHL7 v2 ORU^R01 ingest (${messages} messages each way, ${inFlight} in flight; worker concurrency ${inFlight})`);
    console.log(row('accepted over HTTP (stored raw + outbox, AA)', http));
    console.log(row('accepted over MLLP (8 connections, ACK each)', mllpStats));
    console.log(`imported by the worker, 200 patients: ${spread.perSecond.toFixed(0)} messages/s (${2 * messages} in ${spread.seconds.toFixed(1)} s)`);
    console.log(`imported by the worker, one patient (serialized): ${onePatient.perSecond.toFixed(0)} messages/s (${onePatientMessages} in ${onePatient.seconds.toFixed(1)} s)`);
    console.log(`MLLP vs HTTP accepted: ${(mllpStats.perSecond / http.perSecond).toFixed(2)}×; imported vs accepted over HTTP: ${(spread.perSecond / http.perSecond).toFixed(2)}×`);
  } finally {
    await h.close();
  }
}
