import { Button, Group, Modal, Select, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ELEMENT_KINDS,
  elementKindSchema,
  type ElementKind,
  type TargetAccount,
} from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useKindLabel } from '../distribution/use-reason-text.ts';
import { useOwnElements } from './use-own-elements.ts';
import { useCandidates, usePutSubstitute } from './use-substitutes.ts';

/**
 * Registers a substitute: the target account, the kind, the element of this account (searched
 * through its list API) and the target's element standing in for it (from the candidates).
 */
export function AddSubstituteDialog({
  accountId,
  opened,
  targets,
  initialTargetId,
  source,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  targets: readonly TargetAccount[];
  initialTargetId: string | null;
  /** On an element's page: the element substitutes are added for (kind and source fixed). */
  source?: { kind: ElementKind; id: string; name: string };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const [targetId, setTargetId] = useState<string | null>(initialTargetId);
  const [kind, setKind] = useState<ElementKind | null>(source?.kind ?? 'email_template');
  const [sourceId, setSourceId] = useState<string | null>(source?.id ?? null);
  const [substituteId, setSubstituteId] = useState<string | null>(null);
  const [sourceSearch, setSourceSearch] = useState(source?.name ?? '');
  const [candidateSearch, setCandidateSearch] = useState('');
  const [searchedSource] = useDebouncedValue(sourceSearch, 250);
  const [searchedCandidate] = useDebouncedValue(candidateSearch, 250);
  const sources = useOwnElements(accountId, opened && !source ? kind : null, searchedSource);
  const candidates = useCandidates(accountId, opened ? targetId : null, kind, searchedCandidate);
  const put = usePutSubstitute(accountId);
  const close = () => {
    put.reset();
    setSourceId(source?.id ?? null);
    setSubstituteId(null);
    onClose();
  };
  const ready = targetId && kind && sourceId && substituteId;
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('substitutes.add.title')}
      data-testid="add-substitute-dialog"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (ready)
            put.mutate({ targetAccountId: targetId, kind, sourceId, substituteId }, { onSuccess: close });
        }}
      >
        <Stack>
          <Select
            label={t('substitutes.add.target')}
            data={targets.map((target) => ({ value: target.id, label: target.name }))}
            value={targetId}
            onChange={(value) => {
              setTargetId(value);
              setSubstituteId(null);
            }}
            searchable
            required
            data-testid="add-substitute-target"
          />
          <Select
            label={t('substitutes.add.kind')}
            data={ELEMENT_KINDS.map((value) => ({ value, label: kindLabel(value) }))}
            value={kind}
            onChange={(value) => {
              setKind(elementKindSchema.safeParse(value).data ?? null);
              setSourceId(null);
              setSubstituteId(null);
            }}
            required
            allowDeselect={false}
            disabled={source !== undefined}
            data-testid="add-substitute-kind"
          />
          <Select
            label={t('substitutes.add.source')}
            placeholder={t('substitutes.add.searchPlaceholder')}
            data={
              source
                ? [{ value: source.id, label: source.name }]
                : (sources.data ?? []).map((item) => ({ value: item.id, label: item.name }))
            }
            value={sourceId}
            onChange={setSourceId}
            searchable
            searchValue={sourceSearch}
            onSearchChange={setSourceSearch}
            filter={({ options }) => options}
            required
            disabled={kind === null || source !== undefined}
            data-testid="add-substitute-source"
          />
          <Select
            label={t('substitutes.add.substitute')}
            placeholder={t('substitutes.add.searchPlaceholder')}
            data={(candidates.data ?? []).map((item) => ({ value: item.id, label: item.name }))}
            value={substituteId}
            onChange={setSubstituteId}
            searchable
            searchValue={candidateSearch}
            onSearchChange={setCandidateSearch}
            filter={({ options }) => options}
            required
            disabled={!targetId || kind === null}
            data-testid="add-substitute-substitute"
          />
          {put.isError && <ErrorAlert error={put.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!ready} loading={put.isPending} data-testid="add-substitute-save">
              {t('substitutes.add.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
