import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportRun } from '../../../shared/import-sources.ts';

const COLORS: Record<ImportRun['state'], string> = {
  running: 'blue',
  imported: 'green',
  skipped_same_file: 'gray',
  nothing_found: 'gray',
  failed: 'red',
};

/** A source run's state in its colour. */
export function RunStateBadge({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[run.state]} variant="light" tt="none" data-testid="run-state" data-state={run.state}>
      {t(`imports.runs.states.${run.state}`)}
    </Badge>
  );
}

/** Known `ftp_import.failed` causes (the same as the notification's). */
const CAUSES = [
  'unreachable',
  'auth_failed',
  'decrypt_failed',
  'unpack_failed',
  'file_missing',
  'parse_failed',
  'not_permitted',
] as const;

/** A failed run's cause in words (an unknown cause as the server wrote it). */
export function useCauseText(): (cause: string) => string {
  const { t } = useTranslation();
  return (cause) => {
    const known = CAUSES.find((c) => c === cause);
    return known ? t(`imports.runs.causes.${known}`) : cause;
  };
}
