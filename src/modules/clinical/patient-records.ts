import type { ClassType } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import type { ClinicalRecord } from './clinical-record.entity';
import { categoryOf } from './record-kinds';

/**
 * A patient's records of one kind that this user may see, disclosed (and so audited) under
 * the kind's category plus every label the returned records carry. A record with a label the user may not
 * see (SUD not in their consent, another program's Part 2 data) is left out, and the response
 * says so (CONSENT_REQUIRED). All kinds load in one statement per request, batched across patients.
 */
export async function disclosedRecords<T extends ClinicalRecord>(
  ctx: GraphQLContext,
  patientId: string,
  type: ClassType<T>,
  /** Picks the records wanted (say, the current plan) among those the user may see, before consent is applied. */
  select: (visible: T[]) => T[] = (visible) => visible,
): Promise<T[]> {
  const category = categoryOf(type);
  const visible = select(ctx.access.visibleRecords(patientId, await recordsOfKind(ctx, patientId, type)));
  const labels = [...new Set([category, ...visible.flatMap((item) => item.categories)])];
  const decision = await ctx.access.decide(patientId, labels);
  if (!decision.allowed.includes(category)) await ctx.access.authorize(patientId, [category]);
  const shown = visible.filter((item) => item.categories.every((label) => decision.allowed.includes(label)));
  const withheld = visible.filter((item) => !shown.includes(item));
  if (withheld.length > 0) {
    ctx.access.withhold(patientId, [...new Set(withheld.flatMap((item) => item.categories.filter((label) => !decision.allowed.includes(label))))], withheld.length);
  }
  await ctx.access.disclose(patientId, [...new Set([category, ...shown.flatMap((item) => item.categories)])]);
  return shown;
}

function recordsOfKind<T extends ClinicalRecord>(ctx: GraphQLContext, patientId: string, type: ClassType<T>): Promise<T[]> {
  return ctx.loaders.clinicalRecordsByPatient.load(patientId).then((records) => records.filter((record): record is T => record instanceof type));
}

/**
 * Like `disclosedRecords`, for a response that gathers several categories (an export): a category
 * the user may not see is left out and reported without a count, instead of refusing the whole.
 */
export async function disclosedRecordsIfAllowed<T extends ClinicalRecord>(
  ctx: GraphQLContext,
  patientId: string,
  type: ClassType<T>,
  select?: (visible: T[]) => T[],
): Promise<T[]> {
  const category = categoryOf(type);
  const { allowed } = await ctx.access.decide(patientId, [category]);
  if (allowed.includes(category)) return disclosedRecords(ctx, patientId, type, select);
  ctx.access.leaveOut(patientId, category);
  return [];
}
