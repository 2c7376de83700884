import { Button, Menu, Text } from '@mantine/core';
import { IconBraces } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../../shared/messaging.ts';
import type { MergeField } from '../../../shared/templates.ts';

const GROUPS = ['standard', 'custom', 'system'] as const;

/** The account's merge fields for `channel`, grouped; choosing one inserts `{{ key }}`. */
export function MergeFieldMenu({
  fields,
  channel,
  onInsert,
}: {
  fields: readonly MergeField[];
  channel: Channel;
  onInsert: (key: string) => void;
}) {
  const { t } = useTranslation();
  const usable = fields.filter((f) => f.channels.includes(channel));
  const labelOf = (f: MergeField) =>
    f.kind === 'custom' ? (f.label ?? f.key) : t(`templates.fields.${f.key as 'first_name'}`, f.key);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="light" size="xs" leftSection={<IconBraces size={16} />} data-testid="insert-field">
          {t('templates.editor.insertField')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={360} style={{ overflowY: 'auto' }}>
        <Text size="xs" c="dimmed" px="sm" py={4} maw={240}>
          {t('templates.editor.insertInto')}
        </Text>
        {GROUPS.map((group) => {
          const inGroup = usable.filter((f) => f.kind === group);
          if (inGroup.length === 0) return null;
          return [
            <Menu.Label key={`label-${group}`}>{t(`templates.fieldGroups.${group}`)}</Menu.Label>,
            ...inGroup.map((f) => (
              <Menu.Item
                key={f.key}
                onClick={() => onInsert(f.key)}
                rightSection={
                  <Text size="xs" c="dimmed" ff="monospace">
                    {f.key}
                  </Text>
                }
                data-testid={`insert-field-${f.key}`}
              >
                {labelOf(f)}
              </Menu.Item>
            )),
          ];
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
