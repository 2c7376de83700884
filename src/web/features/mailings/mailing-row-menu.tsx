import { ActionIcon, Menu } from '@mantine/core';
import {
  IconArrowsSplit,
  IconChartBar,
  IconDots,
  IconPencil,
  IconRepeat,
  IconTrash,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Mailing } from '../../../shared/mailings.ts';
import type { Right } from '../../../shared/rights.ts';
import {
  canResend,
  controlsFor,
  isEditable,
  mayManageMailings,
  type MailingControl,
} from './mailing-status.ts';

/**
 * A row's menu: open it (editor or statistics), the controls its state allows this user, and
 * "Re-send" for a sent or failed mailing. Links are relative to the list (`/mailings`).
 */
export function MailingRowMenu({
  mailing,
  rights,
  onControl,
  distributePath,
  onDelete,
}: {
  mailing: Mailing;
  rights: readonly Right[];
  onControl: (control: MailingControl) => void;
  /** The mailing's distribution page, when the user may distribute from this account. */
  distributePath?: string | null;
  onDelete?: () => void;
}) {
  const { t } = useTranslation();
  const id = encodeURIComponent(mailing.id);
  const controls = controlsFor(mailing, rights);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" aria-label={t('common.actions')} data-testid="mailing-menu">
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {isEditable(mailing.status) && (
          <Menu.Item component={Link} to={id} leftSection={<IconPencil size={14} />}>
            {mayManageMailings(rights) ? t('mailings.list.edit') : t('mailings.list.open')}
          </Menu.Item>
        )}
        {mailing.status !== 'draft' && (
          <Menu.Item component={Link} to={`${id}/statistics`} leftSection={<IconChartBar size={14} />}>
            {t('mailings.list.statistics')}
          </Menu.Item>
        )}
        {canResend(mailing.status) && mayManageMailings(rights) && (
          <Menu.Item
            component={Link}
            to={`${id}/resend`}
            leftSection={<IconRepeat size={14} />}
            data-testid="mailing-menu-resend"
          >
            {t('mailings.resend.action')}
          </Menu.Item>
        )}
        {distributePath && (
          <Menu.Item
            component={Link}
            to={distributePath}
            leftSection={<IconArrowsSplit size={14} />}
            data-testid="mailing-menu-distribute"
          >
            {t('distribution.action')}
          </Menu.Item>
        )}
        {controls.length > 0 && <Menu.Divider />}
        {controls.map((control) => (
          <Menu.Item
            key={control}
            color={control === 'cancel' ? 'red' : undefined}
            onClick={() => onControl(control)}
            data-testid={`mailing-control-${control}`}
          >
            {t(`mailings.controls.${control}.label`)}
          </Menu.Item>
        ))}
        {onDelete && mayManageMailings(rights) && mailing.status !== 'sending' && (
          <>
            <Menu.Divider />
            <Menu.Item
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={onDelete}
              data-testid="mailing-menu-delete"
            >
              {t('mailings.delete.action')}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
