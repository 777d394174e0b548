import { DomainError } from '../../../errors';
import { readEnvelope } from '../../labs/hl7-envelope';
import { LabImportService } from '../../labs/lab-import.service';
import { readOru } from '../../labs/oru';
import { readInboundText, usableIdentifier } from '../inbound-text';
import type { InboundFormat } from '../inbound-format';
import { InboxSource } from '../inbox-message.entity';

const importer = new LabImportService();

/** Why an ORU^R01 cannot be imported: said in the ACK's ERR segment, never quoting the message. */
export interface OruRefusal {
  text: string;
}

/** A lab's HL7 v2 ORU^R01, read in the character set its MSH-18 declares. */
export const hl7OruFormat: InboundFormat<OruRefusal> = {
  source: InboxSource.HL7V2,
  read(raw) {
    const envelope = readEnvelope(raw);
    const messageId = usableIdentifier(envelope.controlId);
    const charset = envelope.encoding ?? 'utf-8';
    if (envelope.encoding === null) {
      return { messageId, charset, refusal: { text: `MSH-18 character set "${envelope.declaredCharset.slice(0, 20)}" is not supported` } };
    }
    const read = readInboundText(raw, envelope.encoding);
    if ('problem' in read) return { messageId, charset, refusal: { text: read.problem } };
    try {
      readOru(read.text);
      return { messageId, charset, refusal: null };
    } catch (error) {
      if (error instanceof DomainError) return { messageId, charset, refusal: { text: error.message } };
      throw error;
    }
  },
  reasonOf: (refusal) => refusal.text,
  async import(em, message, reviewedPatientId) {
    const result = await importer.import(em, message.id, reviewedPatientId);
    if (result.status === 'PROCESSED') return { status: 'PROCESSED', patientId: result.patientId, created: result.created, notes: [] };
    return result;
  },
  patientOf: (message) => readOru(message.body).patient,
};
