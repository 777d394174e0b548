import { createHash } from 'node:crypto';
import type {
  Bundle, DocumentReference, MessageHeader, Organization as FhirOrganization, Practitioner, PractitionerRole, Reference, Resource, ServiceRequest, Task,
} from '@medplum/fhirtypes';
import { patientReference, patientResource, recordResource } from '../fhir-export/fhir-resources';
import { bundleMeta, part2SecurityLabels } from '../fhir-export/security-labels';
import { referralNoteLoinc } from './referral-letter';
import { ReferralUrgency, type ReferralPacket } from './referral-packet';

/** The letter as stored: its bytes, their SHA-256 (hex) and the letter's version. */
export interface StoredLetter {
  bytes: Buffer;
  sha256: string;
  version: number;
}

const hub = 'https://carebridge.example/fhir';
/** Where a referral's id is the identifier (ServiceRequest, Task, the message). */
export const referralIdentifierSystem = `${hub}/sid/referral`;
/** The letter's SHA-256 (hex) on its attachment: FHIR's own `Attachment.hash` is SHA-1. */
export const letterSha256ExtensionUrl = `${hub}/StructureDefinition/attachment-sha256`;
export const referralMessageEvent = { system: `${hub}/CodeSystem/message-event`, code: 'referral-request', display: 'Referral request' } as const;

const priority: Record<ReferralUrgency, NonNullable<ServiceRequest['priority']>> = {
  [ReferralUrgency.ROUTINE]: 'routine',
  [ReferralUrgency.URGENT]: 'urgent',
  [ReferralUrgency.EMERGENT]: 'stat',
};

/**
 * A fixed UUID for a resource of this referral's letter version that has no id of its own here
 * (the Task, the letter, the message): name-based (RFC 9562 version 5 layout over SHA-1), so the
 * same packet always gives the same Bundle.
 */
function namedUuid(name: string): string {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const reference = <T extends Resource>(resource: T & { id: string }): Reference<T> => ({ reference: `urn:uuid:${resource.id}` });

/**
 * The referral as a FHIR R4 message Bundle for the recipient's endpoint. A message, as the
 * closed-loop referral guides push a referral (HL7 BSeR's Referral Message Bundle; 360X sends a
 * message too): it is delivered to an endpoint we do not own, not applied to a server as a
 * transaction, and its MessageHeader says who sends what to whom. It holds the MessageHeader
 * (focus: the ServiceRequest and its Task), the ServiceRequest (the referral), the Task (requested,
 * owned by the recipient organization, requested by the sender), the Patient, the sender and
 * recipient, the records the packet carries with their Part 2 labels, and the letter as a
 * DocumentReference (labelled too when it carries Part 2 records). The Bundle is labelled with
 * the highest of them and carries the §2.32 notice when it holds Part 2 records.
 */
export function referralBundle(packet: ReferralPacket, letter: StoredLetter): Bundle {
  const { referral, sender, recipient } = packet;
  const named = (what: string) => namedUuid(`carebridge:referral:${referral.id}:v${letter.version}:${what}`);
  const sentAt = referral.sentAt.toISOString();
  const subject = patientReference(packet.patient.id);
  const referralIdentifier = [{ system: referralIdentifierSystem, value: referral.id }];

  const senderOrganization: FhirOrganization & { id: string } = { resourceType: 'Organization', id: sender.organizationId, name: sender.organizationName };
  const recipientOrganization: FhirOrganization & { id: string } = { resourceType: 'Organization', id: recipient.organizationId, name: recipient.organizationName };
  const telecom = [
    ...(sender.phone ? [{ system: 'phone' as const, value: sender.phone }] : []),
    ...(sender.email ? [{ system: 'email' as const, value: sender.email }] : []),
  ];
  const clinician: Practitioner & { id: string } = { resourceType: 'Practitioner', id: named('sender'), name: [{ text: sender.clinicianName }] };
  const requester: PractitionerRole & { id: string } = {
    resourceType: 'PractitionerRole',
    id: named('sender-role'),
    practitioner: { ...reference(clinician), display: sender.clinicianName },
    organization: { ...reference(senderOrganization), display: sender.organizationName },
    ...(telecom.length ? { telecom } : {}),
  };
  const records = packet.records.map((record) => recordResource(record, subject) as Resource & { id: string });
  const letterId = named('letter');
  const serviceRequest: ServiceRequest & { id: string } = {
    resourceType: 'ServiceRequest',
    id: referral.id,
    identifier: referralIdentifier,
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    priority: priority[referral.urgency],
    code: { text: referral.requestedService },
    subject,
    authoredOn: sentAt,
    requester: reference(requester),
    performer: [{ ...reference(recipientOrganization), display: recipient.organizationName }],
    reasonCode: [{ text: referral.reason }],
    note: [{ text: `Clinical question: ${referral.clinicalQuestion}` }],
    supportingInfo: [...records.map((record) => reference(record)), { reference: `urn:uuid:${letterId}` }],
  };
  const task: Task & { id: string } = {
    resourceType: 'Task',
    id: named('task'),
    identifier: referralIdentifier,
    status: 'requested',
    intent: 'order',
    priority: priority[referral.urgency],
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: reference(serviceRequest),
    for: subject,
    authoredOn: sentAt,
    requester: reference(requester),
    owner: { ...reference(recipientOrganization), display: recipient.organizationName },
  };
  const document: DocumentReference & { id: string } = {
    resourceType: 'DocumentReference',
    id: letterId,
    masterIdentifier: { system: `${referralIdentifierSystem}-letter`, value: `${referral.id}/${letter.version}` },
    ...(packet.includesSud ? { meta: { security: part2SecurityLabels } } : {}),
    status: 'current',
    type: { coding: [referralNoteLoinc] },
    subject,
    date: sentAt,
    author: [reference(requester)],
    content: [{
      attachment: {
        contentType: 'application/pdf',
        data: letter.bytes.toString('base64'),
        size: letter.bytes.length,
        hash: createHash('sha1').update(letter.bytes).digest('base64'),
        title: `Referral letter, version ${letter.version}`,
        creation: sentAt,
        extension: [{ url: letterSha256ExtensionUrl, valueString: letter.sha256 }],
      },
    }],
    context: { related: [reference(serviceRequest)] },
  };
  const header: MessageHeader & { id: string } = {
    resourceType: 'MessageHeader',
    id: named('message'),
    eventCoding: referralMessageEvent,
    source: { endpoint: `urn:carebridge:organization:${sender.organizationId}`, name: sender.organizationName },
    destination: [{ endpoint: `urn:carebridge:organization:${recipient.organizationId}`, name: recipient.organizationName, receiver: reference(recipientOrganization) }],
    sender: reference(senderOrganization),
    author: reference(requester),
    focus: [reference(serviceRequest), reference(task)],
  };
  const resources: (Resource & { id: string })[] = [
    header, serviceRequest, task, patientResource(packet.patient, packet.identifiers) as Resource & { id: string },
    senderOrganization, clinician, requester, recipientOrganization, ...records, document,
  ];
  return {
    resourceType: 'Bundle',
    identifier: { system: `${referralIdentifierSystem}-message`, value: `${referral.id}/${letter.version}` },
    type: 'message',
    timestamp: sentAt,
    meta: bundleMeta(packet.includesSud),
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
