import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath } from './imports-api.ts';

// The server declares this answer inline (not in src/shared), so the web states its shape here.
const undoPreviewSchema = z.object({
  willDelete: z.number().int(),
  notTouched: z.object({ updated: z.number().int(), alreadyDeleted: z.number().int() }),
});

/** What "Undo import" would delete (the contacts it created, still live) and what it leaves; asked while the confirm is open. */
export function useUndoPreview(accountId: string, actionId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...importKeys.all(accountId), 'undo-preview', actionId] as const,
    queryFn: ({ signal }) =>
      apiRequest('GET', `${importsApiPath(accountId)}/${encodeURIComponent(actionId)}/undo-preview`, {
        schema: undoPreviewSchema,
        signal,
      }),
    enabled,
    staleTime: 0,
  });
}
