import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  messageTemplateSchema,
  type CreateTemplateBody,
  type UpdateTemplateBody,
} from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { templateKeys, templatesPath } from './templates-api.ts';

/** Saves a new template (`id` null) or changes one. */
export function useSaveTemplate(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (save: { id: null; body: CreateTemplateBody } | { id: string; body: UpdateTemplateBody }) =>
      save.id === null
        ? apiRequest('POST', templatesPath(accountId), { body: save.body, schema: messageTemplateSchema })
        : apiRequest('PATCH', `${templatesPath(accountId)}/${encodeURIComponent(save.id)}`, {
            body: save.body,
            schema: messageTemplateSchema,
          }),
    onSuccess: (saved) => {
      queryClient.setQueryData(templateKeys.detail(accountId, saved.id), saved);
      return queryClient.invalidateQueries({ queryKey: [...templateKeys.all(accountId), 'list'] });
    },
  });
}
