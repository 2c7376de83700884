import { ActionIcon, Badge, Group, Loader, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconDots, IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { useErrorMessage } from '../../../components/use-error-message.ts';
import { useFormatNumber } from '../../../components/use-format-number.ts';
import { useSmartListCount } from './use-smart-list-count.ts';
import classes from './smart-list-item.module.css';

interface SmartListItemProps {
  accountId: string;
  smartList: SmartList;
  active: boolean;
  canEdit: boolean;
  onApply: (smartList: SmartList) => void;
  onRename: (smartList: SmartList) => void;
  onDelete: (smartList: SmartList) => void;
}

/** One SmartList with its live count; a click shows its contacts. */
export function SmartListItem({
  accountId,
  smartList,
  active,
  canEdit,
  onApply,
  onRename,
  onDelete,
}: SmartListItemProps) {
  const { t } = useTranslation();
  const formatNumber = useFormatNumber();
  const errorMessage = useErrorMessage();
  const count = useSmartListCount(accountId, smartList.id);

  return (
    <Group
      gap={4}
      wrap="nowrap"
      className={classes.item}
      data-active={active || undefined}
      data-testid="smartlist-item"
      data-smartlist-id={smartList.id}
    >
      <UnstyledButton
        className={classes.main}
        onClick={() => onApply(smartList)}
        aria-current={active ? 'true' : undefined}
        data-testid="smartlist-apply"
      >
        <Group gap="xs" wrap="nowrap" justify="space-between">
          <Text size="sm" truncate fw={active ? 600 : 400} data-testid="smartlist-item-name">
            {smartList.name}
          </Text>
          {count.isPending ? (
            <Loader size={12} aria-label={t('common.loading')} />
          ) : count.isError ? (
            <Tooltip label={errorMessage(count.error)}>
              <Badge size="sm" variant="light" color="red">
                ?
              </Badge>
            </Tooltip>
          ) : (
            <Badge
              size="sm"
              variant="light"
              color={active ? undefined : 'gray'}
              // The name gives way, never the count: a shrunk badge would cut "88" to "8.".
              miw="max-content"
              style={{ flexShrink: 0 }}
              data-testid="smartlist-item-count"
            >
              {formatNumber(count.data)}
            </Badge>
          )}
        </Group>
      </UnstyledButton>
      {canEdit && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={t('contacts.smartLists.actionsOf', { name: smartList.name })}
              data-testid="smartlist-item-menu"
            >
              <IconDots size={14} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item
              leftSection={<IconPencil size={14} />}
              onClick={() => onRename(smartList)}
              data-testid="smartlist-rename"
            >
              {t('contacts.smartLists.rename')}
            </Menu.Item>
            <Menu.Item
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={() => onDelete(smartList)}
              data-testid="smartlist-delete"
            >
              {t('common.delete')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}
