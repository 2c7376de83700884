import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconList, IconTags } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ManageListsDialog } from './manage-lists-dialog.tsx';
import { ManageTagsDialog } from './manage-tags-dialog.tsx';

/** "Manage": the account's tags and subscriber lists. */
export function ManageMenu({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'tags' | 'lists' | null>(null);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} />} data-testid="manage-menu">
            {t('contacts.manage.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={<IconTags size={14} />}
            onClick={() => setOpen('tags')}
            data-testid="manage-tags"
          >
            {t('contacts.manage.tags')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconList size={14} />}
            onClick={() => setOpen('lists')}
            data-testid="manage-lists"
          >
            {t('contacts.manage.lists')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ManageTagsDialog accountId={accountId} opened={open === 'tags'} onClose={() => setOpen(null)} />
      <ManageListsDialog accountId={accountId} opened={open === 'lists'} onClose={() => setOpen(null)} />
    </>
  );
}
