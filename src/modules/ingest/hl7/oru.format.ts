import { readEnvelope } from './hl7-envelope';
import { LabImportService, type LabImportResult } from '../../labs/lab-import.service';
import { criticalRuleFor, readingOf } from '../../labs/critical-values';
import { Hl7Problem, readOru } from './oru';
import { readInboundText, usableIdentifier } from '../inbound-text';
import type { ImportOutcome, InboundFormat } from '../inbound-format';
import { InboxSource } from '../inbox-message.entity';

const importer = new LabImportService();

const outcomeOf = (result: LabImportResult): ImportOutcome => {
  if (result.status === 'PROCESSED') return { status: 'PROCESSED', patientId: result.patientId, created: result.created, notes: [] };
  return result.status === 'HELD' ? { ...result, notes: [] } : result;
};

/** Why an ORU^R01 cannot be imported: said in the ACK (AE/AR and its ERR segment), never quoting the message. */
export type OruRefusal = Hl7Problem;

/** A lab's HL7 v2 ORU^R01, read in the character set its MSH-18 declares. */
export const hl7OruFormat: InboundFormat<OruRefusal> = {
  source: InboxSource.HL7V2,
  read(raw) {
    const envelope = readEnvelope(raw);
    const messageId = usableIdentifier(envelope.controlId);
    const charset = envelope.encoding ?? 'utf-8';
    if (envelope.encoding === null) {
      const unsupported = new Hl7Problem('AR', 103, 'MSH-18 character set is not one this receiver reads (HL7 table 0211)', { segment: 'MSH', sequence: 1, field: 18 });
      return { messageId, charset, refusal: unsupported };
    }
    const read = readInboundText(raw, envelope.encoding);
    if ('problem' in read) return { messageId, charset, refusal: new Hl7Problem('AE', 102, read.problem) };
    try {
      readOru(read.text);
      return { messageId, charset, refusal: null };
    } catch (error) {
      if (error instanceof Hl7Problem) return { messageId, charset, refusal: error };
      throw error;
    }
  },
  reasonOf: (refusal) => refusal.message,
  async import(em, message, reviewedPatientId) {
    return outcomeOf(await importer.import(em, message.id, reviewedPatientId));
  },
  async importMany(em, messages, marking) {
    const results = await importer.importMany(em, messages, marking);
    return new Map([...results].map(([id, result]) => [id, result.status === 'PROCESSED' ? { ...result, notes: [] } : result]));
  },
  patientOf: (message) => readOru(message.body).patient,
  carriesCriticalResult: (message) => readOru(message.body).results.some((result) => criticalRuleFor(readingOf(result)) !== null),
};
