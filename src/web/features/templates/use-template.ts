import { useQuery } from '@tanstack/react-query';
import { messageTemplateSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { templateKeys, templatesPath } from './templates-api.ts';

/** One template with its bodies (null id: a new one, nothing to load). */
export function useTemplate(accountId: string, templateId: string | null) {
  return useQuery({
    queryKey: templateKeys.detail(accountId, templateId ?? 'new'),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${templatesPath(accountId)}/${encodeURIComponent(templateId!)}`, {
        schema: messageTemplateSchema,
        signal,
      }),
    enabled: templateId !== null,
  });
}
