import PDFDocument from 'pdfkit';
import type { Consent } from './consent.entity';
import { DataCategory, part2RedisclosureNotice } from './data-category';

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
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'LETTER', margin: 56, compress: false, info: { Title: 'Consent to release information' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.fontSize(16).text('Consent to release information', { underline: true }).moveDown();
    doc.fontSize(11);
    const line = (label: string, value: string) => doc.text(`${label}: ${value}`).moveDown(0.4);
    line('Patient', names.patientName);
    line('Disclosing program', names.programName);
    line('Recipients', names.recipientNames.join('; '));
    line('Purpose', consent.purposeStatement ?? consent.purpose.replace(/_/g, ' ').toLowerCase());
    line('Information to disclose', consent.categories.map((category) => category.replace(/_/g, ' ').toLowerCase()).join(', '));
    line('Valid from', consent.startsAt.toISOString().slice(0, 10));
    const event = consent.expiryEvent ? consent.expiryEvent.replace(/_/g, ' ').toLowerCase() : null;
    line('Expires', [consent.expiresAt?.toISOString().slice(0, 10), event].filter(Boolean).join(', or at the ') || '');
    doc.moveDown().text(consent.rightToRevoke).moveDown();
    if (consent.categories.includes(DataCategory.SUD)) {
      doc.fontSize(9).text('Notice to recipients (42 CFR 2.32)', { underline: true }).text(part2RedisclosureNotice).moveDown().fontSize(11);
    }
    doc.text('Signature (typed name): ____________________    Date: ____________');
    doc.end();
  });
}
