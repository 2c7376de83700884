import {
  Button,
  Divider,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONSENT_STATUSES,
  type Consent,
  type Contact,
  type CustomField,
  type SubscriberList,
  type Tag,
} from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useFormatDateTime } from '../../../components/use-format-date-time.ts';
import { useCreateContact } from '../use-create-contact.ts';
import { useUpdateContact } from '../use-update-contact.ts';
import {
  bodyOf,
  checkValues,
  serverFormErrors,
  valuesOf,
  type ContactFormValues,
  type FormErrorReason,
  type FormField,
} from './contact-form-model.ts';
import { CreateTagPopover } from './create-tag-popover.tsx';
import { DateField } from '../../../components/date-field.tsx';

interface ContactFormProps {
  accountId: string;
  /** Null for a new contact. */
  contact: Contact | null;
  customFields: readonly CustomField[];
  tags: readonly Tag[];
  lists: readonly SubscriberList[];
  canEdit: boolean;
  canDelete: boolean;
  onCancel: () => void;
  onCreated: (contact: Contact) => void;
  onDelete: (contact: Contact) => void;
}

/** Views and edits one contact, or creates one; owns the create and update calls. */
export function ContactForm(props: ContactFormProps) {
  const { accountId, contact, customFields, canEdit } = props;
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const create = useCreateContact(accountId);
  const update = useUpdateContact(accountId);
  const [values, setValues] = useState<ContactFormValues>(() => valuesOf(contact, customFields));
  const [errors, setErrors] = useState<Map<FormField, FormErrorReason>>(new Map());
  const [saved, setSaved] = useState(false);
  const mutation = contact ? update : create;

  const set = <K extends keyof ContactFormValues>(key: K, value: ContactFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setSaved(false);
  };
  const setCustom = (key: string, value: string) => set('custom', { ...values.custom, [key]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkValues(values, customFields);
    setErrors(found);
    if (found.size > 0) return;
    const body = bodyOf(values, customFields, contact === null);
    if (contact) {
      update.mutate(
        { contactId: contact.id, body },
        {
          onSuccess: (updated) => {
            setValues(valuesOf(updated, customFields));
            setSaved(true);
          },
        },
      );
    } else {
      create.mutate(body, { onSuccess: props.onCreated });
    }
  };

  const serverErrors = serverFormErrors(mutation.error, values);
  const errorOf = (field: FormField): string | undefined => {
    const reason = errors.get(field) ?? serverErrors.get(field);
    return reason ? t(`contacts.form.errors.${reason}`) : undefined;
  };
  const consentOptions = CONSENT_STATUSES.map((status) => ({
    value: status,
    label: t(`contacts.consent.${status}`),
  }));
  const readOnly = !canEdit;

  return (
    <form onSubmit={submit} noValidate data-testid="contact-form">
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('contacts.form.email')}
            type="email"
            autoComplete="off"
            value={values.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={errorOf('email')}
            readOnly={readOnly}
            maxLength={320}
            data-autofocus
            data-testid="contact-email"
          />
          <TextInput
            label={t('contacts.form.phone')}
            description={t('contacts.form.phoneHint')}
            autoComplete="off"
            value={values.phone}
            onChange={(e) => set('phone', e.currentTarget.value)}
            error={errorOf('phone')}
            readOnly={readOnly}
            maxLength={40}
            data-testid="contact-phone"
          />
          <TextInput
            label={t('contacts.form.firstName')}
            value={values.firstName}
            onChange={(e) => set('firstName', e.currentTarget.value)}
            error={errorOf('firstName')}
            readOnly={readOnly}
            maxLength={200}
            data-testid="contact-first-name"
          />
          <TextInput
            label={t('contacts.form.lastName')}
            value={values.lastName}
            onChange={(e) => set('lastName', e.currentTarget.value)}
            error={errorOf('lastName')}
            readOnly={readOnly}
            maxLength={200}
            data-testid="contact-last-name"
          />
          <Select<Consent>
            label={t('contacts.form.emailConsent')}
            data={consentOptions}
            value={values.emailConsent}
            onChange={(v) => v && set('emailConsent', v)}
            allowDeselect={false}
            readOnly={readOnly}
            error={errorOf('emailConsent')}
            data-testid="contact-email-consent"
          />
          <Select<Consent>
            label={t('contacts.form.smsConsent')}
            data={consentOptions}
            value={values.smsConsent}
            onChange={(v) => v && set('smsConsent', v)}
            allowDeselect={false}
            readOnly={readOnly}
            error={errorOf('smsConsent')}
            data-testid="contact-sms-consent"
          />
        </SimpleGrid>

        {customFields.length > 0 && (
          <>
            <Divider label={t('contacts.form.customFields')} labelPosition="left" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {customFields.map((field) => (
                <CustomFieldInput
                  key={field.id}
                  field={field}
                  value={values.custom[field.key] ?? ''}
                  onChange={(value) => setCustom(field.key, value)}
                  error={errorOf(`custom.${field.key}`)}
                  readOnly={readOnly}
                />
              ))}
            </SimpleGrid>
          </>
        )}

        <Divider label={t('contacts.form.membership')} labelPosition="left" />
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <MultiSelect
            flex={1}
            label={t('contacts.form.tags')}
            placeholder={values.tagIds.length === 0 ? t('contacts.form.noTags') : undefined}
            data={props.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
            value={values.tagIds}
            onChange={(tagIds) => set('tagIds', tagIds)}
            searchable
            clearable={!readOnly}
            readOnly={readOnly}
            nothingFoundMessage={t('contacts.form.noTagFound')}
            error={errorOf('tagIds')}
            data-testid="contact-tags"
          />
          {canEdit && (
            <CreateTagPopover
              accountId={accountId}
              onCreated={(tag) => set('tagIds', [...values.tagIds, tag.id])}
            />
          )}
        </Group>
        <MultiSelect
          label={t('contacts.form.lists')}
          placeholder={values.listIds.length === 0 ? t('contacts.form.noLists') : undefined}
          data={props.lists.map((list) => ({ value: list.id, label: list.name }))}
          value={values.listIds}
          onChange={(listIds) => set('listIds', listIds)}
          searchable
          clearable={!readOnly}
          readOnly={readOnly}
          nothingFoundMessage={t('contacts.form.noListFound')}
          error={errorOf('listIds')}
          data-testid="contact-lists"
        />

        {contact && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed" data-testid="contact-created">
              {contact.createdBy
                ? t('contacts.detail.createdBy', {
                    date: formatDateTime(contact.createdAt),
                    user: contact.createdBy,
                  })
                : t('contacts.detail.created', { date: formatDateTime(contact.createdAt) })}
            </Text>
            <Text size="xs" c="dimmed" data-testid="contact-updated">
              {contact.updatedBy
                ? t('contacts.detail.updatedBy', {
                    date: formatDateTime(contact.updatedAt),
                    user: contact.updatedBy,
                  })
                : t('contacts.detail.updated', { date: formatDateTime(contact.updatedAt) })}
            </Text>
          </Stack>
        )}

        {mutation.isError && serverErrors.size === 0 && <ErrorAlert error={mutation.error} />}
        {saved && (
          <Text size="sm" c="teal" data-testid="contact-saved">
            {t('contacts.detail.saved')}
          </Text>
        )}

        <Group justify="space-between">
          <div>
            {contact && props.canDelete && (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => props.onDelete(contact)}
                data-testid="contact-delete"
              >
                {t('common.delete')}
              </Button>
            )}
          </div>
          <Group gap="xs">
            <Button variant="default" onClick={props.onCancel}>
              {canEdit ? t('common.cancel') : t('common.close')}
            </Button>
            {canEdit && (
              <Button type="submit" loading={mutation.isPending} data-testid="contact-save">
                {contact ? t('common.save') : t('contacts.detail.create')}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

function CustomFieldInput({
  field,
  value,
  onChange,
  error,
  readOnly,
}: {
  field: CustomField;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const common = { label: field.label, error, readOnly, 'data-testid': `contact-custom-${field.key}` };
  switch (field.type) {
    case 'text':
      return (
        <TextInput
          {...common}
          value={value}
          maxLength={2000}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return <NumberInput {...common} value={value} onChange={(v) => onChange(String(v))} />;
    case 'date':
      return <DateField {...common} value={value} onChange={onChange} clearable={!readOnly} />;
    case 'boolean':
      return (
        <Select
          {...common}
          placeholder={t('contacts.form.notSet')}
          data={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
          value={value === 'true' || value === 'false' ? value : null}
          onChange={(v) => onChange(v ?? '')}
          clearable={!readOnly}
        />
      );
  }
}
