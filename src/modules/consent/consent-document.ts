import { renderPdf, words, writePart2Notice } from '../../documents/pdf';
import type { Consent } from './consent.entity';
import { DataCategory } from './data-category';

export interface ConsentDocumentNames {
  patientName: string;
  programName: string;
  recipientNames: string[];
}

/**
 * The consent form the patient reads before signing: every §2.31 element, the right to revoke,
 * and, when SUD records are part of it, the §2.32 notice recipients are bound by. Uncompressed,
 * so the text can be searched and checked.
 */
export function renderConsentPdf(consent: Consent, names: ConsentDocumentNames): Promise<Buffer> {
  return renderPdf({ title: 'Consent to release information' }, (doc) => {
    doc.fontSize(16).text('Consent to release information', { underline: true }).moveDown();
    doc.fontSize(11);
    const line = (label: string, value: string) => doc.text(`${label}: ${value}`).moveDown(0.4);
    line('Patient', names.patientName);
    line('Disclosing program', names.programName);
    line('Recipients', names.recipientNames.join('; '));
    line('Purpose', consent.purposeStatement ?? words(consent.purpose));
    line('Information to disclose', consent.categories.map(words).join(', '));
    line('Valid from', consent.startsAt.toISOString().slice(0, 10));
    const event = consent.expiryEvent ? words(consent.expiryEvent) : null;
    line('Expires', [consent.expiresAt?.toISOString().slice(0, 10), event].filter(Boolean).join(', or at the ') || '');
    doc.moveDown().text(consent.rightToRevoke).moveDown();
    if (consent.categories.includes(DataCategory.SUD)) writePart2Notice(doc, 11);
    doc.text('Signature (typed name): ____________________    Date: ____________');
  });
}
