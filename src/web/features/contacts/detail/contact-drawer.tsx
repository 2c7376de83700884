import { Center, Drawer, Loader } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, CustomField, SubscriberList, Tag } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useContact } from '../use-contact.ts';
import { ContactForm } from './contact-form.tsx';
import { DeleteContactDialog } from './delete-contact-dialog.tsx';
import { DeliverabilityPanel } from '../../deliverability/deliverability-panel.tsx';

/** Which contact the drawer shows: a new one, or one by id. */
export type DrawerTarget = { mode: 'new' } | { mode: 'edit'; contactId: string };

interface ContactDrawerProps {
  accountId: string;
  target: DrawerTarget | null;
  onTarget: (target: DrawerTarget | null) => void;
  customFields: readonly CustomField[];
  tags: readonly Tag[];
  lists: readonly SubscriberList[];
  canEdit: boolean;
  canDelete: boolean;
}

/** The contact drawer: details and editing of one contact, or the form for a new one. */
export function ContactDrawer({ accountId, target, onTarget, ...catalog }: ContactDrawerProps) {
  const { t } = useTranslation();
  const contactId = target?.mode === 'edit' ? target.contactId : null;
  const contact = useContact(accountId, contactId);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const close = () => onTarget(null);

  const form = (shown: Contact | null) => (
    <ContactForm
      key={shown?.id ?? 'new'}
      accountId={accountId}
      contact={shown}
      {...catalog}
      onCancel={close}
      onCreated={(created) => onTarget({ mode: 'edit', contactId: created.id })}
      onDelete={setDeleting}
    />
  );

  return (
    <>
      <Drawer
        opened={target !== null}
        onClose={close}
        position="right"
        size="xl"
        title={
          target?.mode === 'new'
            ? t('contacts.detail.newTitle')
            : contact.data
              ? displayName(contact.data) || t('contacts.detail.title')
              : t('contacts.detail.title')
        }
        // On the panel itself: the root is an invisible wrapper.
        attributes={{ content: { 'data-testid': 'contact-drawer' } }}
      >
        {target?.mode === 'new' && form(null)}
        {target?.mode === 'edit' && contact.isPending && (
          <Center p="xl">
            <Loader aria-label={t('common.loading')} />
          </Center>
        )}
        {target?.mode === 'edit' && contact.isError && (
          <ErrorAlert error={contact.error} onRetry={() => void contact.refetch()} />
        )}
        {target?.mode === 'edit' && contact.data && form(contact.data)}
        {target?.mode === 'edit' && contact.data && (
          <DeliverabilityPanel accountId={accountId} contactId={contact.data.id} />
        )}
      </Drawer>
      <DeleteContactDialog
        accountId={accountId}
        contact={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={close}
      />
    </>
  );
}

function displayName(contact: Contact): string {
  return (
    [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email || contact.phone || ''
  );
}
