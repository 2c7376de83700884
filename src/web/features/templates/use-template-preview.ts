import { useQuery } from '@tanstack/react-query';
import { templatePreviewSchema, type TemplatePreviewBody } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { templateKeys, templatesPath } from './templates-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/**
 * The server's rendering of the content being edited (for a contact, when one is chosen). The
 * caller debounces `body`; null asks nothing (nothing to render yet).
 */
export function useTemplatePreview(accountId: string, body: TemplatePreviewBody | null) {
  return useQuery({
    queryKey: [...templateKeys.all(accountId), 'preview', body] as const,
    queryFn: ({ signal }) =>
      apiRequest('POST', `${templatesPath(accountId)}/preview`, {
        body: body!,
        schema: templatePreviewSchema,
        signal,
      }),
    enabled: body !== null,
    placeholderData: keepPreviousInAccount(accountId),
    retry: false,
  });
}
