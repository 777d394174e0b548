/** The text of an uncompressed PDFKit document (its strings are hex-encoded in TJ operators). */
export function pdfText(pdf: Buffer): string {
  const content = pdf.toString('latin1');
  return [...content.matchAll(/<([0-9a-fA-F]+)>/g)].map((match) => Buffer.from(match[1], 'hex').toString('latin1')).join('');
}
