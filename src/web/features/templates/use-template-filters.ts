import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { TemplateListParams } from './templates-api.ts';

/** The list's filters in the URL (`channel`, `q`), so reloads and links show the same list. */
export function useTemplateFilters(): [TemplateListParams, (change: Partial<TemplateListParams>) => void] {
  const [params, setParams] = useSearchParams();
  const channelParam = params.get('channel');
  const search = params.get('q') ?? '';
  const filters = useMemo(
    (): TemplateListParams => ({
      channel: channelParam === 'email' || channelParam === 'sms' ? channelParam : null,
      search,
    }),
    [channelParam, search],
  );
  const change = useCallback(
    (next: Partial<TemplateListParams>) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next.channel !== undefined) {
            if (next.channel) updated.set('channel', next.channel);
            else updated.delete('channel');
          }
          if (next.search !== undefined) {
            if (next.search) updated.set('q', next.search);
            else updated.delete('q');
          }
          return updated;
        },
        { replace: next.search !== undefined },
      ),
    [setParams],
  );
  return [filters, change];
}
