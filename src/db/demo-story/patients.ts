/**
 * The demo's three patients: fictional people only, the demo must never hold real PHI. Avery's
 * identity is the one the README's examples send (the FHIR Bundle from Maple Street and the
 * lab's HL7 result), so those examples link to Avery instead of waiting for review.
 */
export const demoPatients = [
  {
    givenName: 'Avery',
    familyName: 'Demo',
    birthDate: '1988-04-12',
    mrn: 'IOP-1001',
    /** The lab's identifier, as the README's HL7 example sends it (PID-3 `L-555^^^REGLAB^MR`). */
    labId: 'L-555',
    contact: { phone: '(555) 010-1234', addressLine: '12 Elm St', city: 'Springfield', region: 'MA', postalCode: '01101' },
  },
  {
    givenName: 'Jordan',
    familyName: 'Sample',
    birthDate: '1995-11-03',
    mrn: 'IOP-1002',
    labId: 'L-556',
    contact: { phone: '(555) 010-2345', addressLine: '48 River Rd', city: 'Riverton', region: 'MA', postalCode: '01202' },
  },
  {
    givenName: 'Riley',
    familyName: 'Example',
    birthDate: '1979-07-28',
    mrn: 'IOP-1003',
    labId: 'L-557',
    contact: { phone: '(555) 010-3456', addressLine: '7 Shore Ln', city: 'Lakeside', region: 'MA', postalCode: '01303' },
  },
] as const;

export type DemoPatient = (typeof demoPatients)[number];

/** The login of each patient (Avery's is part of the demo's users; Jordan and Riley sign their consents with theirs). */
export const patientEmails = ['avery.demo@patients.example', 'jordan.sample@patients.example', 'riley.example@patients.example'] as const;
