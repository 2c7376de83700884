import { z } from 'zod';
import { fieldIssueSchema } from '../../shared/errors.ts';
import { ApiError } from '../app/api-client.ts';

const validationDetailsSchema = z.object({ fields: z.array(fieldIssueSchema) });

/** The fields a VALIDATION_FAILED answer names, so a form can mark them; empty for any other error. */
export function invalidFields(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const details = validationDetailsSchema.safeParse(error.details);
  return details.success ? details.data.fields.map((issue) => issue.field) : [];
}
