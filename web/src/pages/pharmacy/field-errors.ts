import { ApiError } from '../../api/client';

/** What a form shows after a refused submission: a message per field, and what belongs to no field. */
export interface FormErrors {
  fields: Record<string, string>;
  general: ApiError | null;
}

export const noErrors: FormErrors = { fields: {}, general: null };

/** The field an API error path names, without the argument's own name: `input.ndc` and `/shipment/carrier` become `ndc` and `shipment.carrier`. */
function fieldName(path: string): string {
  return path.replace(/^\//, '').replace(/\//g, '.').replace(/^input\./, '');
}

/**
 * Sorts an API refusal by field, as the API names them: a rule's `field` (BAD_USER_INPUT), the
 * input validation's `invalid` list, or the delivery contract's `violations`. Anything else (a
 * CONFLICT, NOT_FOUND, a network failure) is shown for the whole form.
 */
export function formErrorsOf(error: unknown): FormErrors {
  const apiError = error instanceof ApiError ? error : new ApiError({ message: error instanceof Error ? error.message : String(error) });
  const fields: Record<string, string> = {};
  const { field, invalid, violations } = apiError.extensions;
  if (apiError.code === 'BAD_USER_INPUT') {
    if (typeof field === 'string') fields[fieldName(field)] = apiError.message;
    if (Array.isArray(invalid)) {
      for (const each of invalid as { field?: unknown; constraints?: Record<string, string> }[]) {
        if (typeof each.field === 'string') fields[fieldName(each.field)] = Object.values(each.constraints ?? {}).join('; ') || apiError.message;
      }
    }
    if (Array.isArray(violations)) {
      for (const each of violations as { path?: unknown; message?: unknown }[]) {
        if (typeof each.path === 'string' && typeof each.message === 'string') fields[fieldName(each.path) || 'form'] = each.message;
      }
    }
  }
  return { fields, general: Object.keys(fields).length > 0 ? null : apiError };
}

/** A number typed in a form, or null when the box is empty or holds no number. */
export function numberOf(typed: string): number | null {
  if (typed.trim() === '') return null;
  const value = Number(typed);
  return Number.isFinite(value) ? value : null;
}
