import { MultiSelect, Stack, Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Mailing } from '../../../shared/mailings.ts';
import { useSubscriberLists } from '../contacts/catalog/use-subscriber-lists.ts';
import { useSmartLists } from '../contacts/smart-lists/use-smart-lists.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import type { MailingForm } from './mailing-form.ts';

/**
 * The audience: one or more subscriber lists, optionally narrowed by target groups (SmartLists,
 * several combined with OR); and the tracking switch. Parts deleted since the mailing was saved
 * stay listed as deleted until removed.
 */
export function MailingAudienceFields({
  accountId,
  form,
  change,
  readOnly,
  saved,
}: {
  accountId: string;
  form: MailingForm;
  change: (patch: Partial<MailingForm>) => void;
  readOnly: boolean;
  /** The saved mailing (its lists' and target groups' names, even of deleted ones). */
  saved: Pick<Mailing, 'lists' | 'targetGroups'> | null;
}) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const lists = useSubscriberLists(accountId);
  const groups = useSmartLists(accountId);

  const listOptions = (lists.data ?? []).map((list) => ({
    value: list.id,
    label: list.memberCount === undefined ? list.name : `${list.name} (${n(list.memberCount)})`,
  }));
  const groupOptions = (groups.data ?? []).map((group) => ({ value: group.id, label: group.name }));
  // A saved part the catalog no longer has: keep it choosable so the form shows it, as deleted.
  const withSaved = (options: { value: string; label: string }[], refs: Mailing['lists'] | undefined) => [
    ...options,
    ...(refs ?? [])
      .filter((ref) => !options.some((o) => o.value === ref.id))
      .map((ref) => ({ value: ref.id, label: t('mailings.editor.deletedPart', { name: ref.name }) })),
  ];

  return (
    <Stack gap="sm">
      <MultiSelect
        label={t('mailings.editor.lists')}
        description={t('mailings.editor.listsHint')}
        placeholder={form.listIds.length === 0 ? t('mailings.editor.listsPlaceholder') : undefined}
        data={withSaved(listOptions, saved?.lists)}
        value={form.listIds}
        onChange={(listIds) => change({ listIds })}
        searchable
        readOnly={readOnly}
        withAsterisk
        data-testid="mailing-lists"
      />
      <MultiSelect
        label={t('mailings.editor.targetGroups')}
        description={t('mailings.editor.targetGroupsHint')}
        placeholder={
          form.targetGroupIds.length === 0 ? t('mailings.editor.targetGroupsPlaceholder') : undefined
        }
        data={withSaved(groupOptions, saved?.targetGroups)}
        value={form.targetGroupIds}
        onChange={(targetGroupIds) => change({ targetGroupIds })}
        searchable
        clearable={!readOnly}
        readOnly={readOnly}
        data-testid="mailing-target-groups"
      />
      <Switch
        label={t('mailings.editor.tracking')}
        description={t('mailings.editor.trackingHint')}
        checked={form.tracking}
        onChange={(e) => change({ tracking: e.currentTarget.checked })}
        disabled={readOnly}
        data-testid="mailing-tracking"
      />
    </Stack>
  );
}
