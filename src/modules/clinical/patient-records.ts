import type { ClassType } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import type { DataCategory } from '../consent/data-category';
import type { ClinicalRecord } from './clinical-record.entity';

/**
 * A patient's records of one kind that this user may see, disclosed (and so audited) under
 * `category` plus every label the returned records carry (SUD included). All kinds load in one
 * statement per request, batched across patients.
 */
export async function disclosedRecords<T extends ClinicalRecord>(
  ctx: GraphQLContext,
  patientId: string,
  type: ClassType<T>,
  category: DataCategory,
): Promise<T[]> {
  const all = (await ctx.loaders.clinicalRecordsByPatient.load(patientId)).filter((record): record is T => record instanceof type);
  const items = ctx.access.visibleRecords(patientId, all);
  await ctx.access.disclose(patientId, [...new Set([category, ...items.flatMap((item) => item.categories)])]);
  return items;
}
