import { useInfiniteQuery } from '@tanstack/react-query';
import { templatePageSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { listQuery, templateKeys, templatesPath, type TemplateListParams } from './templates-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/** The account's templates by name, a page at a time. */
export function useTemplates(accountId: string, params: TemplateListParams) {
  return useInfiniteQuery({
    queryKey: templateKeys.list(accountId, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', `${templatesPath(accountId)}?${listQuery(params, pageParam)}`, {
        schema: templatePageSchema,
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
