import { Button, Menu, Tooltip } from '@mantine/core';
import { IconChevronDown, IconMail, IconMessage, IconTag, IconTagOff, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const ACTIONS = [
  { key: 'addTag', icon: IconTag },
  { key: 'removeTag', icon: IconTagOff },
  { key: 'delete', icon: IconTrash },
  { key: 'sendEmail', icon: IconMail },
  { key: 'sendSms', icon: IconMessage },
] as const;

/** The actions on the selected contacts. They run as bulk actions, which are not built yet: all disabled. */
export function BulkMenu({ disabled }: { disabled: boolean }) {
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
        {ACTIONS.map(({ key, icon: Icon }) => (
          // A disabled item gets no pointer events: the tooltip hangs on a wrapper.
          <Tooltip key={key} label={t('contacts.bulk.arrivesLater')} position="left">
            <div>
              <Menu.Item disabled leftSection={<Icon size={14} />} data-testid={`bulk-${key}`}>
                {t(`contacts.bulk.${key}`)}
              </Menu.Item>
            </div>
          </Tooltip>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
