import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';

export interface ReadPathOrganizations {
  programId: string;
  practiceId: string;
  labId: string;
  pharmacyId: string;
  clinicianId: string;
}

/**
 * Generates `patients` patients living in `city` (the marker the bench picks them by), in set-based
 * SQL so that 100,000 patients × 60 records take a minute or two: each enrolled in the program with
 * the clinician on the care team, with an identifier at the practice and `recordsEach` current
 * records of every kind in turn: the program's diagnoses (one in thirty a Part 2 opioid-use
 * disorder), prescriptions routed to the pharmacy, assessments, attendance, care plans and side
 * effects; the practice's allergies and encounters; the lab's results.
 */
export async function generateReadPathPatients(databaseUrl: string, orgs: ReadPathOrganizations, patients: number, recordsEach: number, city: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The rows are consistent by construction: skipping the foreign-key triggers and building the
    // secondary indexes once afterwards makes the load several times faster.
    await client.query("set session_replication_role = replica; set maintenance_work_mem = '512MB'; set synchronous_commit = off");
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      // Indexes that back a constraint (the key, unique prescription numbers) stay: they cannot be dropped alone.
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'clinical_record'
         and indexname not in (select conname from pg_constraint where conrelid = 'clinical_record'::regclass)`,
    );
    for (const { indexname } of indexes) await client.query(`drop index "${indexname}"`);
    await insertPatients(client, orgs, patients, recordsEach, city);
    for (const { indexdef } of indexes) await client.query(indexdef);
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

async function insertPatients(client: Client, orgs: ReadPathOrganizations, patients: number, recordsEach: number, city: string): Promise<void> {
  await client.query(
    `insert into patient (id, created_at, given_name, family_name, birth_date, city)
     select gen_random_uuid(), now(), 'Given' || g, 'Family' || g, date '1940-01-01' + (g % 25000), $1
     from generate_series(1, $2::int) g`,
    [city, patients],
  );
  await client.query(
    `insert into patient_identifier (id, created_at, patient_id, organization_id, system, value)
     select gen_random_uuid(), now(), p.id, $1, 'urn:bench:mrn', 'MRN-' || p.id from patient p where p.city = $2`,
    [orgs.practiceId, city],
  );
  await client.query(
    `insert into enrollment (id, created_at, patient_id, program_id, status, started_at)
     select gen_random_uuid(), now(), p.id, $1, 'ACTIVE', now() from patient p where p.city = $2`,
    [orgs.programId, city],
  );
  await client.query(
    `insert into care_team_member (id, created_at, enrollment_id, user_id, team_role)
     select gen_random_uuid(), now(), e.id, $1, 'PRESCRIBER'
     from enrollment e join patient p on p.id = e.patient_id where p.city = $2`,
    [orgs.clinicianId, city],
  );
  // slot = r % 10: 0 diagnosis, 1 prescription, 2 assessment, 3 attendance, 4 care plan,
  // 5 side effect (the program's); 6 allergy, 7 encounter (the practice's); 8, 9 lab results.
  await client.query(
    `insert into clinical_record (id, created_at, kind, patient_id, categories, source_organization_id, source_system, source_record_id,
       received_at, recorded_by_id,
       icd10code, diagnosis_text, diagnosis_status,
       drug_name, dose, route, sig, refills, prescriber_id, is_moud, pharmacy_id, home_delivery, start_date, prescription_status,
       instrument, score, administered_at,
       session_type, session_at, attendance_status, sud_program,
       plan_type, plan_text, addresses_sud,
       effect, severity,
       substance, reaction, criticality,
       encounter_type, encounter_status, started_at,
       loinc_code, test_name, value_numeric, unit, reference_low, reference_high, abnormal_flag, result_status, effective_at)
     select gen_random_uuid(), now(), k.kind, p.id,
       case when k.slot = 0 and r % 30 = 0 then '{DIAGNOSES,SUD}' else k.categories end::text[],
       case when k.slot < 6 then o.program when k.slot < 8 then o.practice else o.lab end,
       case when k.slot < 6 then 'carebridge' when k.slot < 8 then 'pcp-ehr' else 'REGIONAL LAB' end,
       case when k.slot >= 6 then k.kind || '-' || r end,
       now() - (r || ' days')::interval,
       case when k.slot < 6 then o.clinician end,
       case when k.slot = 0 then (case when r % 30 = 0 then 'F11.20' else 'F33.1' end) end,
       case when k.slot = 0 then (case when r % 30 = 0 then 'Opioid dependence, uncomplicated' else 'Major depressive disorder, recurrent, moderate' end) end,
       case when k.slot = 0 then 'ACTIVE' end,
       case when k.slot = 1 then 'Sertraline 50 mg tablet' end, case when k.slot = 1 then '50 mg' end,
       case when k.slot = 1 then 'oral' end, case when k.slot = 1 then 'Take one tablet by mouth daily' end,
       case when k.slot = 1 then 2 end, case when k.slot = 1 then o.clinician end, case when k.slot = 1 then false end,
       case when k.slot = 1 then o.pharmacy end, case when k.slot = 1 then false end,
       case when k.slot = 1 then current_date - r end, case when k.slot = 1 then 'ACTIVE' end,
       case when k.slot = 2 then 'PHQ9' end, case when k.slot = 2 then r % 28 end, case when k.slot = 2 then now() - (r || ' days')::interval end,
       case when k.slot = 3 then 'GROUP' end, case when k.slot = 3 then now() - (r || ' days')::interval end,
       case when k.slot = 3 then 'ATTENDED' end, case when k.slot = 3 then false end,
       case when k.slot = 4 then (case when r % 20 = 4 then 'CRISIS' else 'TREATMENT' end) end,
       case when k.slot = 4 then 'Weekly group therapy and medication management, plan ' || r end, case when k.slot = 4 then false end,
       case when k.slot = 5 then 'Nausea after morning dose' end, case when k.slot = 5 then 'MILD' end,
       case when k.slot = 6 then 'Penicillin' end, case when k.slot = 6 then 'Hives' end, case when k.slot = 6 then 'LOW' end,
       case when k.slot = 7 then 'Office visit' end, case when k.slot = 7 then 'finished' end, case when k.slot = 7 then now() - (r || ' days')::interval end,
       case when k.slot = 8 then '2823-3' when k.slot = 9 then '2951-2' end,
       case when k.slot = 8 then 'Potassium' when k.slot = 9 then 'Sodium' end,
       case when k.slot = 8 then 3.6 + (r % 14) / 10.0 when k.slot = 9 then 136 + r % 8 end,
       case when k.slot >= 8 then 'mmol/L' end,
       case when k.slot = 8 then 3.5 when k.slot = 9 then 135 end,
       case when k.slot = 8 then 5.1 when k.slot = 9 then 145 end,
       case when k.slot >= 8 then 'N' end, case when k.slot >= 8 then 'FINAL' end,
       case when k.slot >= 8 then now() - (r || ' days')::interval end
     from patient p
     cross join (select $1::uuid as program, $2::uuid as practice, $3::uuid as lab, $4::uuid as pharmacy, $5::uuid as clinician) o
     cross join generate_series(1, $6::int) r
     join (values (0, 'DIAGNOSIS', '{DIAGNOSES}'), (1, 'PRESCRIPTION', '{MEDICATIONS}'), (2, 'ASSESSMENT', '{TREATMENT_SUMMARY}'),
                  (3, 'ATTENDANCE', '{TREATMENT_SUMMARY}'), (4, 'CARE_PLAN', '{TREATMENT_SUMMARY}'), (5, 'SIDE_EFFECT', '{MEDICATIONS}'),
                  (6, 'ALLERGY', '{MEDICATIONS}'), (7, 'ENCOUNTER', '{TREATMENT_SUMMARY}'), (8, 'LAB_RESULT', '{LABS}'), (9, 'LAB_RESULT', '{LABS}'))
       as k(slot, kind, categories) on k.slot = r % 10
     where p.city = $7`,
    [orgs.programId, orgs.practiceId, orgs.labId, orgs.pharmacyId, orgs.clinicianId, recordsEach, city],
  );
}

/** `count` random patients of `city`. */
export async function sampleReadPathPatients(em: EntityManager, city: string, count: number): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>('select id from patient where city = ? order by random() limit ?', [city, count]);
  return rows.map((row) => row.id);
}
