import { ActionIcon, Menu } from '@mantine/core';
import {
  IconArrowBackUp,
  IconCalendarTime,
  IconChartPie,
  IconDots,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconRestore,
  IconX,
  type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { BULK_CONTROLS, type BulkAction, type BulkControl } from '../../../shared/bulk-actions.ts';
import type { BulkDialogTarget } from './bulk-dialog-target.ts';
import { useActionName } from './bulk-status.tsx';

const ICONS: Record<BulkControl, TablerIcon> = {
  pause: IconPlayerPause,
  resume: IconPlayerPlay,
  cancel: IconX,
  edit_schedule: IconCalendarTime,
  restore: IconRestore,
  retry_failed: IconRefresh,
  undo: IconArrowBackUp,
};

/** The path of an action's stats page. */
export function statsPath(accountId: string, actionId: string): string {
  return `/accounts/${accountId}/bulk-actions/${actionId}`;
}

/**
 * The three-dot menu of an action: "View stats", then exactly the controls the server offers this
 * user on it now (`action.controls`), and Rename when the user may rename it.
 */
export function BulkRowMenu({
  accountId,
  action,
  canRename,
  withViewStats,
  onChoose,
}: {
  accountId: string;
  action: BulkAction;
  canRename: boolean;
  withViewStats: boolean;
  onChoose: (target: BulkDialogTarget) => void;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const nameOf = useActionName();
  const controls = BULK_CONTROLS.filter((control) => action.controls.includes(control));
  if (!withViewStats && !canRename && controls.length === 0) return null;

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={t('bulkActions.menu.label', { name: nameOf(action) })}
          data-testid="bulk-row-menu"
        >
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {withViewStats && (
          <Menu.Item
            component={Link}
            to={statsPath(accountId, action.id)}
            // The stats page's back link returns to the table as it was filtered.
            state={{ listSearch: location.search }}
            leftSection={<IconChartPie size={14} />}
            data-testid="bulk-view-stats"
          >
            {t('bulkActions.menu.viewStats')}
          </Menu.Item>
        )}
        {controls.length > 0 && withViewStats && <Menu.Divider />}
        {controls.map((control) => {
          const Icon = ICONS[control];
          return (
            <Menu.Item
              key={control}
              color={control === 'cancel' ? 'red' : undefined}
              leftSection={<Icon size={14} />}
              onClick={() => onChoose({ kind: control, action })}
              data-testid={`bulk-control-${control}`}
            >
              {t(`bulkActions.controls.${control}`)}
            </Menu.Item>
          );
        })}
        {canRename && (
          <>
            {(withViewStats || controls.length > 0) && <Menu.Divider />}
            <Menu.Item
              leftSection={<IconPencil size={14} />}
              onClick={() => onChoose({ kind: 'rename', action })}
              data-testid="bulk-rename"
            >
              {t('bulkActions.menu.rename')}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
