import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  candidateListSchema,
  substitutePageSchema,
  substituteImportResultSchema,
  substituteSchema,
  type ElementKind,
  type PutSubstituteBody,
} from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionKeys } from '../distribution/distribution-api.ts';
import { saveEdits, type SubstituteEdit } from './substitute-edits.ts';
import { substitutesApiPath, substitutesQuery, type SubstituteFilters } from './substitutes-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/** The source account's substitutes matching `filters`, a page at a time. */
export function useSubstitutes(accountId: string, filters: SubstituteFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...distributionKeys.substitutes(accountId), 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', `${substitutesApiPath(accountId)}?${substitutesQuery(filters, pageParam)}`, {
        schema: substitutePageSchema,
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
    enabled,
  });
}

/**
 * Elements of one kind in a target account whose name contains `search` (the substitute picker).
 * `enabled` false loads nothing (the edit mode asks only once a row's select opens) but still
 * answers what an earlier call for the same target and kind left in the cache.
 */
export function useCandidates(
  accountId: string,
  targetAccountId: string | null,
  kind: ElementKind | null,
  search = '',
  enabled = true,
) {
  const trimmed = search.trim().slice(0, 200);
  return useQuery({
    queryKey: distributionKeys.candidates(
      accountId,
      targetAccountId ?? '',
      kind ?? 'email_template',
      trimmed,
    ),
    queryFn: async ({ signal }) => {
      const query = new URLSearchParams({ targetAccountId: targetAccountId!, kind: kind! });
      if (trimmed) query.set('search', trimmed);
      return (
        await apiRequest('GET', `${substitutesApiPath(accountId)}/candidates?${query.toString()}`, {
          schema: candidateListSchema,
          signal,
        })
      ).items;
    },
    enabled: enabled && targetAccountId !== null && kind !== null,
    placeholderData: keepPreviousInAccount(accountId),
  });
}

/**
 * Registers (or re-points) a substitute. Refreshes the substitutes and every plan, so a plan that
 * named it as missing is asked again.
 */
export function usePutSubstitute(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutSubstituteBody) =>
      apiRequest('PUT', substitutesApiPath(accountId), { body, schema: substituteSchema }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: distributionKeys.substitutes(accountId) }),
        queryClient.invalidateQueries({ queryKey: distributionKeys.plans(accountId) }),
      ]),
  });
}

const deletedSchema = z.object({ deleted: z.number().int() });

/** Deletes substitutes by id (one: DELETE; several: the bulk call); answers how many went. */
export function useDeleteSubstitutes(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: readonly string[]): Promise<number> => {
      if (ids.length === 1) {
        await apiRequest('DELETE', `${substitutesApiPath(accountId)}/${encodeURIComponent(ids[0]!)}`);
        return 1;
      }
      return (
        await apiRequest('POST', `${substitutesApiPath(accountId)}/bulk-delete`, {
          body: { ids },
          schema: deletedSchema,
        })
      ).deleted;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: distributionKeys.substitutes(accountId) }),
        queryClient.invalidateQueries({ queryKey: distributionKeys.plans(accountId) }),
      ]),
  });
}

/** Imports substitutes from a CSV text (UTF-8): the valid rows are applied, the others answered per line. */
export function useImportSubstitutes(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) =>
      apiRequest('POST', `${substitutesApiPath(accountId)}/import`, {
        raw: { text: csv, contentType: 'text/csv; charset=utf-8' },
        schema: substituteImportResultSchema,
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: distributionKeys.substitutes(accountId) }),
        queryClient.invalidateQueries({ queryKey: distributionKeys.plans(accountId) }),
      ]),
  });
}

/**
 * Saves the edit mode's changes: one `PUT /substitutes` per changed row, a few at a time; answers
 * which rows were saved and which failed with what (a failure does not stop the others). Refreshes
 * the substitutes and every plan once, after all calls ended.
 */
export function useSaveSubstituteEdits(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edits: readonly SubstituteEdit[]) =>
      saveEdits(edits, (body) =>
        apiRequest('PUT', substitutesApiPath(accountId), { body, schema: substituteSchema }),
      ),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: distributionKeys.substitutes(accountId) }),
        queryClient.invalidateQueries({ queryKey: distributionKeys.plans(accountId) }),
      ]),
  });
}

/**
 * Marks every cached candidate list of the account stale without loading any: the next select that
 * opens asks again. Entering edit mode does this, so elements created in a target since show up.
 */
export function useStaleCandidates(accountId: string): () => void {
  const queryClient = useQueryClient();
  return () =>
    void queryClient.invalidateQueries({
      queryKey: [...distributionKeys.substitutes(accountId), 'candidates'],
      refetchType: 'none',
    });
}
