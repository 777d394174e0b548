import PDFDocument from 'pdfkit';
import { part2RedisclosureNotice } from '../modules/consent/data-category';

export interface PdfInfo {
  title: string;
  /**
   * Fixes what PDFKit would otherwise take from the clock (CreationDate, and the file ID it hashes
   * from the info), so the same content and `identity` give the same bytes.
   */
  fixed?: { createdAt: Date; identity: string };
}

/**
 * A letter-size PDF drawn by `draw`, uncompressed so its text can be searched and checked.
 * Standard fonts only: nothing is embedded that could vary between runs.
 */
export function renderPdf(info: PdfInfo, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 56,
      compress: false,
      info: { Title: info.title, ...(info.fixed ? { CreationDate: info.fixed.createdAt, Subject: info.fixed.identity } : {}) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

/** The §2.32 notice every disclosure of Part 2 records carries, set apart in smaller type. */
export function writePart2Notice(doc: PDFKit.PDFDocument, bodySize: number): void {
  doc.fontSize(9).text('Notice to recipients (42 CFR 2.32)', { underline: true }).text(part2RedisclosureNotice).moveDown().fontSize(bodySize);
}

/** A code as a document shows it in words: PARTIALLY_DISPENSED → "partially dispensed". */
export const words = (code: string): string => code.replace(/_/g, ' ').toLowerCase();
