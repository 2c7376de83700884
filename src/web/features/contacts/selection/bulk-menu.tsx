import { Button, Menu, Tooltip } from '@mantine/core';
import { IconChevronDown, IconMail, IconMessage, IconTag, IconTagOff, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { StartableType } from '../../../../shared/bulk-actions.ts';
import type { Channel } from '../../../../shared/messaging.ts';

const STARTABLE = [
  { type: 'add_tag', key: 'addTag', testId: 'bulk-add-tag', icon: IconTag },
  { type: 'remove_tag', key: 'removeTag', testId: 'bulk-remove-tag', icon: IconTagOff },
  { type: 'delete_contacts', key: 'delete', testId: 'bulk-delete', icon: IconTrash },
] as const satisfies readonly { type: StartableType; key: string; testId: string; icon: unknown }[];

// Bulk email and SMS run on the same engine; their dialogs live in features/messaging.
const SENDS = [
  { channel: 'email', key: 'sendEmail', testId: 'bulk-send-email', icon: IconMail },
  { channel: 'sms', key: 'sendSms', testId: 'bulk-send-sms', icon: IconMessage },
] as const satisfies readonly { channel: Channel; key: string; testId: string; icon: unknown }[];

/** The actions on the selected contacts; each starts a bulk action after a confirmation dialog. */
export function BulkMenu({
  disabled,
  canBulk,
  canDelete,
  canSend,
  onStart,
  onSend,
}: {
  disabled: boolean;
  /** The user may change contacts in bulk (contacts.bulk): tag and delete actions. */
  canBulk: boolean;
  /** The user may delete contacts (contacts.delete); without it "Delete contacts" is disabled. */
  canDelete: boolean;
  /** The user may send bulk email and SMS (messaging.send). */
  canSend: boolean;
  onStart: (type: StartableType) => void;
  onSend: (channel: Channel) => void;
}) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          rightSection={<IconChevronDown size={14} />}
          disabled={disabled}
          data-testid="bulk-menu"
        >
          {t('contacts.bulk.menu')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(canBulk ? STARTABLE : []).map(({ type, key, testId, icon: Icon }) => {
          const item = (
            <Menu.Item
              key={key}
              color={type === 'delete_contacts' ? 'red' : undefined}
              disabled={type === 'delete_contacts' && !canDelete}
              leftSection={<Icon size={14} />}
              onClick={() => onStart(type)}
              data-testid={testId}
            >
              {t(`contacts.bulk.${key}`)}
            </Menu.Item>
          );
          return type === 'delete_contacts' && !canDelete ? (
            // A disabled item gets no pointer events: the tooltip hangs on a wrapper.
            <Tooltip key={key} label={t('contacts.bulk.deleteNeedsRight')} position="left">
              <div>{item}</div>
            </Tooltip>
          ) : (
            item
          );
        })}
        {canSend && canBulk && <Menu.Divider />}
        {canSend &&
          SENDS.map(({ channel, key, testId, icon: Icon }) => (
            <Menu.Item
              key={key}
              leftSection={<Icon size={14} />}
              onClick={() => onSend(channel)}
              data-testid={testId}
            >
              {t(`contacts.bulk.${key}`)}
            </Menu.Item>
          ))}
      </Menu.Dropdown>
    </Menu>
  );
}
