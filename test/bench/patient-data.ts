import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Generates `patients` patients in SQL (generate_series: seconds, not minutes), each enrolled in
 * `programId` with `clinicianId` on the care team and `recordsEach` clinical records (diagnoses,
 * prescriptions and assessments in turn) as if from `programId`.
 */
export async function generatePatients(
  em: EntityManager,
  ids: { programId: string; clinicianId: string },
  patients: number,
  recordsEach: number,
): Promise<void> {
  const connection = em.getConnection();
  await connection.execute(
    `insert into patient (id, created_at, given_name, family_name, birth_date, city)
     select gen_random_uuid(), now(), 'Given' || g, 'Family' || g, date '1940-01-01' + (g % 25000), 'Benchville'
     from generate_series(1, ?) g`,
    [patients],
  );
  await connection.execute(
    `insert into enrollment (id, created_at, patient_id, program_id, status, started_at)
     select gen_random_uuid(), now(), p.id, ?, 'ACTIVE', now() from patient p where p.city = 'Benchville'`,
    [ids.programId],
  );
  await connection.execute(
    `insert into care_team_member (id, created_at, enrollment_id, user_id, team_role)
     select gen_random_uuid(), now(), e.id, ?, 'PRESCRIBER'
     from enrollment e join patient p on p.id = e.patient_id where p.city = 'Benchville'`,
    [ids.clinicianId],
  );
  await connection.execute(
    `insert into clinical_record (id, created_at, kind, patient_id, categories, source_organization_id, source_system, received_at,
       icd10code, diagnosis_text, diagnosis_status, drug_name, dose, route, sig, refills, is_moud, home_delivery, prescription_status,
       instrument, score, administered_at)
     select gen_random_uuid(), now(), k.kind, p.id, k.categories::text[], ?, 'carebridge', now() - (r || ' days')::interval,
       case when k.kind = 'DIAGNOSIS' then 'F33.1' end, case when k.kind = 'DIAGNOSIS' then 'Major depressive disorder' end,
       case when k.kind = 'DIAGNOSIS' then 'ACTIVE' end,
       case when k.kind = 'PRESCRIPTION' then 'Sertraline 50 mg tablet' end, case when k.kind = 'PRESCRIPTION' then '50 mg' end,
       case when k.kind = 'PRESCRIPTION' then 'oral' end, case when k.kind = 'PRESCRIPTION' then 'daily' end,
       case when k.kind = 'PRESCRIPTION' then 0 end, case when k.kind = 'PRESCRIPTION' then false end,
       case when k.kind = 'PRESCRIPTION' then false end, case when k.kind = 'PRESCRIPTION' then 'ACTIVE' end,
       case when k.kind = 'ASSESSMENT' then 'PHQ9' end, case when k.kind = 'ASSESSMENT' then r % 28 end,
       case when k.kind = 'ASSESSMENT' then now() - (r || ' days')::interval end
     from patient p
     cross join generate_series(1, ?) r
     join (values (0, 'DIAGNOSIS', '{DIAGNOSES}'), (1, 'PRESCRIPTION', '{MEDICATIONS}'), (2, 'ASSESSMENT', '{TREATMENT_SUMMARY}')) as k(n, kind, categories)
       on k.n = r % 3
     where p.city = 'Benchville'`,
    [ids.programId, recordsEach],
  );
  await connection.execute('analyze');
}

/** `count` random generated patients' ids. */
export async function samplePatientIds(em: EntityManager, count: number): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select id from patient where city = 'Benchville' order by random() limit ?`,
    [count],
  );
  return rows.map((row) => row.id);
}
