/**
 * The codes that identify a patient as receiving substance-use-disorder care (42 CFR Part 2), as
 * data: the labelling rule (labels.ts) reads them, and each entry names its source. Curated from
 * the code systems' own tables (ICD-10-CM, WHO ICD-10, HCPCS Level II, SNOMED CT) for what HL7's
 * ETH ("substance abuse information sensitivity") label covers; no published value set is copied,
 * so its codes are checked against those tables (and the VSAC substance-use value sets, where a
 * licence allows) when the list changes. A code listed here is specific to alcohol or drug
 * treatment, never a general behavioural-health service.
 */

export interface SudCode {
  code: string;
  display: string;
  source: string;
}

const icd10cm = 'ICD-10-CM (CDC/CMS), FY2025 tabular list';
const whoIcd10 = 'WHO ICD-10 (2019); not in ICD-10-CM, which dropped category Z50';
const whoIcd10Counselling = 'WHO ICD-10 (2019); in ICD-10-CM only the heading of the codes below it';
const hcpcs = 'HCPCS Level II (CMS), H/T codes "alcohol and/or drug services"';
const hcpcsOtp = 'HCPCS Level II (CMS), opioid treatment program and office-based OUD treatment codes (2020)';
const snomed = 'SNOMED CT International, procedure hierarchy';

/**
 * Diagnosis and reason codes besides F10–F19 (which `isSudDiagnosis` covers by range). Not here:
 * Z79.891 (long-term use of opiate analgesic: pain care, not SUD), Z71.89 and Z71.3 (other and
 * dietary counseling), F17 (nicotine: not a substance use disorder under §2.11).
 */
export const sudDiagnosisCodes: readonly SudCode[] = [
  { code: 'Z71.4', display: 'Alcohol abuse counselling and surveillance', source: whoIcd10Counselling },
  { code: 'Z71.5', display: 'Drug abuse counselling and surveillance', source: whoIcd10Counselling },
  { code: 'Z71.41', display: 'Alcohol abuse counseling and surveillance of alcoholic', source: icd10cm },
  { code: 'Z71.42', display: 'Counseling for family member of alcoholic', source: icd10cm },
  { code: 'Z71.51', display: 'Drug abuse counseling and surveillance of drug abuser', source: icd10cm },
  { code: 'Z71.52', display: 'Counseling for family member of drug abuser', source: icd10cm },
  { code: 'Z50.2', display: 'Rehabilitation of alcoholic', source: whoIcd10 },
  { code: 'Z50.3', display: 'Rehabilitation of drug addict', source: whoIcd10 },
];

/**
 * HCPCS service codes of alcohol and drug treatment. Not here, because they are not specific to
 * SUD: H0002 (behavioural health screening for admission), H0004 (behavioural health counselling),
 * H0017–H0019 (behavioural health residential), H0033 (directly observed oral medication), H0031
 * and after (mental health); nor H0021 and H0026–H0029 (staff training and community prevention,
 * which concern no patient).
 */
export const sudServiceCodes: readonly SudCode[] = [
  { code: 'H0001', display: 'Alcohol and/or drug assessment', source: hcpcs },
  { code: 'H0003', display: 'Alcohol and/or drug screening; laboratory analysis of specimens for presence of alcohol and/or drugs', source: hcpcs },
  { code: 'H0005', display: 'Alcohol and/or drug services; group counseling by a clinician', source: hcpcs },
  { code: 'H0006', display: 'Alcohol and/or drug services; case management', source: hcpcs },
  { code: 'H0007', display: 'Alcohol and/or drug services; crisis intervention (outpatient)', source: hcpcs },
  { code: 'H0008', display: 'Alcohol and/or drug services; sub-acute detoxification (hospital inpatient)', source: hcpcs },
  { code: 'H0009', display: 'Alcohol and/or drug services; acute detoxification (hospital inpatient)', source: hcpcs },
  { code: 'H0010', display: 'Alcohol and/or drug services; sub-acute detoxification (residential addiction program inpatient)', source: hcpcs },
  { code: 'H0011', display: 'Alcohol and/or drug services; acute detoxification (residential addiction program inpatient)', source: hcpcs },
  { code: 'H0012', display: 'Alcohol and/or drug services; sub-acute detoxification (residential addiction program outpatient)', source: hcpcs },
  { code: 'H0013', display: 'Alcohol and/or drug services; acute detoxification (residential addiction program outpatient)', source: hcpcs },
  { code: 'H0014', display: 'Alcohol and/or drug services; ambulatory detoxification', source: hcpcs },
  { code: 'H0015', display: 'Alcohol and/or drug services; intensive outpatient', source: hcpcs },
  { code: 'H0016', display: 'Alcohol and/or drug services; medical/somatic (medical intervention in ambulatory setting)', source: hcpcs },
  { code: 'H0020', display: 'Alcohol and/or drug services; methadone administration and/or service', source: hcpcs },
  { code: 'H0022', display: 'Alcohol and/or drug intervention service (planned facilitation)', source: hcpcs },
  { code: 'H0047', display: 'Alcohol and/or other drug abuse services, not otherwise specified', source: hcpcs },
  { code: 'H0048', display: 'Alcohol and/or other drug testing: collection and handling only, specimens other than blood', source: hcpcs },
  { code: 'H0049', display: 'Alcohol and/or drug screening', source: hcpcs },
  { code: 'H0050', display: 'Alcohol and/or drug services, brief intervention, per 15 minutes', source: hcpcs },
  { code: 'T1006', display: 'Alcohol and/or substance abuse services, family/couple counseling', source: hcpcs },
  { code: 'T1007', display: 'Alcohol and/or substance abuse services, treatment plan development and/or modification', source: hcpcs },
  { code: 'T1008', display: 'Day treatment for individual alcohol and/or substance abuse services', source: hcpcs },
  { code: 'T1009', display: 'Child sitting services for children of the individual receiving alcohol and/or substance abuse services', source: hcpcs },
  { code: 'T1010', display: 'Meals for individuals receiving alcohol and/or substance abuse services', source: hcpcs },
  { code: 'T1012', display: 'Alcohol and/or substance abuse services, skills development', source: hcpcs },
  ...['G2067', 'G2068', 'G2069', 'G2070', 'G2071', 'G2072', 'G2073', 'G2074', 'G2075', 'G2076', 'G2077', 'G2078', 'G2079', 'G2080'].map((code) => ({
    code,
    display: 'Medication assisted treatment (opioid treatment program) weekly bundle or add-on',
    source: hcpcsOtp,
  })),
  { code: 'G2086', display: 'Office-based treatment for opioid use disorder, first calendar month', source: hcpcsOtp },
  { code: 'G2087', display: 'Office-based treatment for opioid use disorder, subsequent calendar month', source: hcpcsOtp },
  { code: 'G2088', display: 'Office-based treatment for opioid use disorder, each additional 30 minutes', source: hcpcsOtp },
];

/** SNOMED CT procedures that are SUD treatment, as encounter types. */
export const sudProcedureCodes: readonly SudCode[] = [
  { code: '20093000', display: 'Alcohol rehabilitation and detoxification', source: snomed },
  { code: '56876005', display: 'Drug rehabilitation and detoxification', source: snomed },
  { code: '23915005', display: 'Combined alcohol and drug rehabilitation and detoxification', source: snomed },
  { code: '61480009', display: 'Drug detoxification', source: snomed },
  { code: '24165007', display: 'Alcoholism counseling', source: snomed },
  { code: '313071005', display: 'Counseling for substance abuse', source: snomed },
];

/** The code systems those lists are in, by the URIs FHIR senders name them with. */
export const sudCodeSystems = {
  icd10: ['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10'],
  hcpcs: ['https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'],
  snomed: ['http://snomed.info/sct'],
};
