import { ActionIcon, Checkbox, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { IconColumns3 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../shared/contacts.ts';
import { allColumns, type ColumnId } from './columns.ts';
import { useColumnLabel } from './use-column-label.ts';

/** Chooses the table's columns; the order stays the table's own. */
export function ColumnPicker({
  customFields,
  columns,
  onChange,
}: {
  customFields: readonly CustomField[];
  columns: readonly ColumnId[];
  onChange: (columns: ColumnId[]) => void;
}) {
  const { t } = useTranslation();
  const label = useColumnLabel(customFields);
  const available = allColumns(customFields);
  const shown = new Set(columns);

  const toggle = (id: ColumnId, on: boolean) =>
    onChange(available.filter((c) => (c === id ? on : shown.has(c))));

  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Tooltip label={t('contacts.columns.title')}>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={t('contacts.columns.title')}
            data-testid="column-picker"
          >
            <IconColumns3 size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('contacts.columns.title')}
          </Text>
          {available.map((id) => (
            <Checkbox
              key={id}
              label={label(id)}
              checked={shown.has(id)}
              onChange={(e) => toggle(id, e.currentTarget.checked)}
              data-testid={`column-toggle-${id}`}
            />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
