import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Contact, CustomField, CustomValue, SubscriberList, Tag } from '../../../shared/contacts.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import type { ColumnId } from './columns.ts';
import { ConsentBadge } from './consent-badge.tsx';
import { TagBadges } from './tag-badges.tsx';

export interface CellContext {
  tags: ReadonlyMap<string, Tag>;
  lists: ReadonlyMap<string, SubscriberList>;
  fields: ReadonlyMap<string, CustomField>;
}

/** One cell of the contacts table. */
export function ContactCell({
  contact,
  column,
  context,
}: {
  contact: Contact;
  column: ColumnId;
  context: CellContext;
}) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatDay = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(iso));
  switch (column) {
    case 'name': {
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
      return name ? (
        <Text size="sm" fw={500}>
          {name}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('contacts.table.noName')}
        </Text>
      );
    }
    case 'email':
      // Long addresses are cut (whole on hover) so the default columns fit 1440 px.
      return (
        <Text size="sm" maw={210} truncate="end" title={contact.email ?? undefined}>
          {contact.email ?? ''}
        </Text>
      );
    case 'phone':
      return <Text size="sm">{contact.phone ?? ''}</Text>;
    case 'emailConsent':
      return <ConsentBadge consent={contact.emailConsent} />;
    case 'smsConsent':
      return <ConsentBadge consent={contact.smsConsent} />;
    case 'tags':
      return <TagBadges tagIds={contact.tagIds} tags={context.tags} />;
    case 'lists':
      return (
        <Group gap={4}>
          <Text size="sm">
            {contact.listIds
              .map((id) => context.lists.get(id)?.name)
              .filter(Boolean)
              .join(', ')}
          </Text>
        </Group>
      );
    // The day in the table (the time on hover and in the contact's drawer): keeps the table narrow.
    case 'createdAt':
      return (
        <Text size="sm" title={formatDateTime(contact.createdAt)}>
          {formatDay(contact.createdAt)}
        </Text>
      );
    case 'updatedAt':
      return (
        <Text size="sm" title={formatDateTime(contact.updatedAt)}>
          {formatDay(contact.updatedAt)}
        </Text>
      );
    default: {
      const key = column.slice('custom.'.length);
      return <CustomValueText value={contact.customFields[key]} field={context.fields.get(key)} />;
    }
  }
}

function CustomValueText({
  value,
  field,
}: {
  value: CustomValue | undefined;
  field: CustomField | undefined;
}) {
  const { t, i18n } = useTranslation();
  const formatNumber = useFormatNumber();
  if (value === undefined || value === null || value === '') return null;
  let text: string;
  if (typeof value === 'boolean') text = value ? t('common.yes') : t('common.no');
  else if (typeof value === 'number') text = formatNumber(value);
  else if (field?.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    text = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${value}T00:00:00Z`),
    );
  } else text = value;
  return <Text size="sm">{text}</Text>;
}
