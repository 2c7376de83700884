import { Button, Group, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MissingPart } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useCandidates, usePutSubstitute } from '../substitutes/use-substitutes.ts';
import { useKindLabel } from './use-reason-text.ts';

/**
 * Registers the substitute for one missing part in one target, right from the plan: the target's
 * elements of that kind, the suggestion (same kind and name) preselected. Success refetches the plan.
 */
export function RegisterSubstitute({
  accountId,
  target,
  part,
}: {
  accountId: string;
  target: { id: string; name: string };
  part: MissingPart;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const [chosen, setChosen] = useState<string | null>(part.suggestion?.id ?? null);
  const candidates = useCandidates(accountId, target.id, part.kind);
  const put = usePutSubstitute(accountId);
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (part.suggestion && !options.some((o) => o.value === part.suggestion!.id))
    options.unshift({ value: part.suggestion.id, label: part.suggestion.name });
  const label = t('distribution.plan.substituteFor', {
    kind: kindLabel(part.kind),
    name: part.name,
    account: target.name,
  });
  return (
    <div data-testid="missing-part" data-kind={part.kind} data-source-id={part.id}>
      <Text size="sm">{t('distribution.missingPart', { kind: kindLabel(part.kind), name: part.name })}</Text>
      <Text size="xs" c="dimmed" data-testid="missing-suggestion">
        {part.suggestion
          ? t('distribution.plan.suggestion', { name: part.suggestion.name })
          : t('distribution.plan.noSuggestion')}
      </Text>
      <Group gap="xs" mt={4} wrap="nowrap" align="flex-end">
        <Select
          aria-label={label}
          placeholder={
            candidates.data && options.length === 0
              ? t('distribution.plan.noCandidates')
              : t('distribution.plan.candidatePlaceholder')
          }
          data={options}
          value={chosen}
          onChange={setChosen}
          searchable
          size="xs"
          w={220}
          comboboxProps={{ withinPortal: true }}
          data-testid="substitute-candidate"
        />
        <Button
          size="xs"
          disabled={chosen === null}
          loading={put.isPending}
          onClick={() =>
            chosen &&
            put.mutate({
              targetAccountId: target.id,
              kind: part.kind,
              sourceId: part.id,
              substituteId: chosen,
            })
          }
          aria-label={`${t('distribution.plan.register')}: ${label}`}
          data-testid="register-substitute"
        >
          {t('distribution.plan.register')}
        </Button>
      </Group>
      {put.isError && <ErrorAlert error={put.error} mt={4} />}
    </div>
  );
}
