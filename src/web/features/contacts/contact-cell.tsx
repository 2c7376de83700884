import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Contact, CustomField, CustomValue, SubscriberList, Tag } from '../../../shared/contacts.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
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
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
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
      return <Text size="sm">{contact.email ?? ''}</Text>;
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
    case 'createdAt':
      return <Text size="sm">{formatDateTime(contact.createdAt)}</Text>;
    case 'updatedAt':
      return <Text size="sm">{formatDateTime(contact.updatedAt)}</Text>;
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
  if (value === undefined || value === null || value === '') return null;
  let text: string;
  if (typeof value === 'boolean') text = value ? t('common.yes') : t('common.no');
  else if (typeof value === 'number') text = value.toLocaleString(i18n.language);
  else if (field?.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    text = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${value}T00:00:00Z`),
    );
  } else text = value;
  return <Text size="sm">{text}</Text>;
}
