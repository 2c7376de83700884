import { useTranslation } from 'react-i18next';
import { substituteUsageSchema } from '../../../shared/distribution.ts';
import { ApiError } from '../../app/api-client.ts';
import { useKindLabel } from './use-reason-text.ts';

/**
 * The usage named by a delete's 409 SUBSTITUTE_IN_USE (the element stands in for elements of
 * other accounts), or null for any other outcome. The dialog then offers `?confirm=true`.
 */
export function substituteUsageOf(error: unknown) {
  if (!(error instanceof ApiError) || error.code !== 'SUBSTITUTE_IN_USE') return null;
  const details = error.details as { usage?: unknown } | null | undefined;
  const parsed = substituteUsageSchema.safeParse(details?.usage ?? details);
  return parsed.success ? parsed.data : [];
}

/** The delete dialog's warning: "“X” stands in for elements of other accounts: Email template of Nordlicht Agency …". */
export function useSubstituteInUseText(): (name: string, error: unknown) => string | null {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  return (name, error) => {
    const usage = substituteUsageOf(error);
    if (!usage) return null;
    const words = usage
      .map((use) =>
        t('distribution.inUse.usage', { kind: kindLabel(use.kind), account: use.sourceAccount.name }),
      )
      .join(', ');
    return t('distribution.inUse.text', { name, usage: words });
  };
}

/** The path of a delete call, with `?confirm=true` once the user chose to delete a substitute anyway. */
export function deletePath(path: string, confirm: boolean): string {
  return confirm ? `${path}?confirm=true` : path;
}
