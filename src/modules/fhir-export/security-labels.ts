import type { Coding, Meta } from '@medplum/fhirtypes';
import { DataCategory, part2RedisclosureNotice } from '../consent/data-category';

const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const confidentiality = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/**
 * HL7 security labels (DS4P) a Part 2 record carries wherever it goes: restricted, substance-use
 * information, governed by 42 CFR Part 2, and no redisclosure without the patient's consent.
 */
export const part2SecurityLabels: Coding[] = [
  { system: confidentiality, code: 'R', display: 'restricted' },
  { system: actCode, code: 'ETH', display: 'substance abuse information sensitivity' },
  { system: actCode, code: '42CFRPart2', display: '42 CFR Part2' },
  { system: actCode, code: 'NORDSCLCD', display: 'no redisclosure without consent directive' },
];

const normal: Coding = { system: confidentiality, code: 'N', display: 'normal' };

/** Where the §2.32 notice travels inside a FHIR export (Bundle has no extensions of its own; its Meta does). */
export const redisclosureNoticeExtensionUrl = 'https://carebridge.example/fhir/StructureDefinition/part2-redisclosure-notice';

/** A resource's labels: the Part 2 set for SUD-labelled records, none otherwise. */
export function securityLabelsFor(categories: DataCategory[]): Coding[] {
  return categories.includes(DataCategory.SUD) ? part2SecurityLabels : [];
}

/**
 * The bundle's own labels are the high-water mark of what it holds; a bundle with Part 2 records
 * also carries the §2.32 notice, as every disclosure of them must.
 */
export function bundleMeta(holdsPart2: boolean): Meta {
  if (!holdsPart2) return { security: [normal] };
  return {
    security: part2SecurityLabels,
    extension: [{ url: redisclosureNoticeExtensionUrl, valueString: part2RedisclosureNotice }],
  };
}
