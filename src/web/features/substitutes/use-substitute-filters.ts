import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { elementKindSchema } from '../../../shared/distribution.ts';
import type { SubstituteFilters } from './substitutes-api.ts';

type Changeable = Pick<SubstituteFilters, 'targetAccountId' | 'kind' | 'search'>;

/** The substitutes table's filters in the URL (`target`, `kind`, `q`), so reloads and links show the same table. */
export function useSubstituteFilters(): [SubstituteFilters, (change: Partial<Changeable>) => void] {
  const [params, setParams] = useSearchParams();
  const target = params.get('target');
  const kindParam = params.get('kind');
  const search = params.get('q') ?? '';
  const filters = useMemo(
    (): SubstituteFilters => ({
      targetAccountId: target && /^\d{1,15}$/.test(target) ? target : null,
      kind: elementKindSchema.safeParse(kindParam).data ?? null,
      sourceId: null,
      search,
    }),
    [target, kindParam, search],
  );
  const change = useCallback(
    (next: Partial<Changeable>) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          const put = (key: string, value: string | null | undefined) => {
            if (value === undefined) return;
            if (value) updated.set(key, value);
            else updated.delete(key);
          };
          put('target', next.targetAccountId);
          put('kind', next.kind);
          put('q', next.search);
          return updated;
        },
        { replace: next.search !== undefined },
      ),
    [setParams],
  );
  return [filters, change];
}
