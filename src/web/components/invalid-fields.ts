import { z } from 'zod';
import { fieldIssueSchema, type FieldIssue } from '../../shared/errors.ts';
import { ApiError } from '../app/api-client.ts';

const validationDetailsSchema = z.object({ fields: z.array(fieldIssueSchema) });

/** The fields a VALIDATION_FAILED answer names, so a form can mark them; empty for any other error. */
export function invalidFields(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  return fieldIssues(error).map((issue) => issue.field);
}

/**
 * The fields any error names in `details.fields`: VALIDATION_FAILED, but also conflicts
 * (EMAIL_TAKEN on `email`, CONFLICT on `name`). Empty when it names none.
 */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  const details = validationDetailsSchema.safeParse(error.details);
  return details.success ? details.data.fields : [];
}
