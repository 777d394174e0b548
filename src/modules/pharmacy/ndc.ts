/**
 * National Drug Codes as pharmacies write them. The FDA's 10-digit code comes in three hyphenated
 * shapes (labeler-product-package: 4-4-2, 5-3-2, 5-4-1); billing (NCPDP) uses 11 digits, 5-4-2,
 * made by padding the short segment with a leading zero. Ten digits without hyphens are refused:
 * which segment to pad cannot be known, so the code could name another product.
 */
const hyphenated = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/;
const tenDigitShapes = ['4-4-2', '5-3-2', '5-4-1'];

/** The 11-digit 5-4-2 form of an NDC (`12345-6789-01`), or null when the text is not an NDC. */
export function normalizedNdc(text: string): string | null {
  const code = text.trim();
  if (/^\d{11}$/.test(code)) return `${code.slice(0, 5)}-${code.slice(5, 9)}-${code.slice(9)}`;
  const parts = hyphenated.exec(code);
  if (!parts) return null;
  const [labeler, product, pack] = parts.slice(1);
  const shape = `${labeler.length}-${product.length}-${pack.length}`;
  if (shape === '5-4-2') return code;
  if (!tenDigitShapes.includes(shape)) return null;
  return `${labeler.padStart(5, '0')}-${product.padStart(4, '0')}-${pack.padStart(2, '0')}`;
}

export const ndcFormats = 'an NDC of 10 digits hyphenated 4-4-2, 5-3-2 or 5-4-1, or of 11 digits (5-4-2, hyphens optional)';
