import { ActionIcon, Button, ColorInput, Popover, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tag } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { TAG_SWATCHES } from '../catalog/tag-colors.ts';
import { useCreateTag } from '../catalog/use-create-tag.ts';

/** Creates a tag without leaving the contact: the new tag is put on the contact at once. */
export function CreateTagPopover({
  accountId,
  onCreated,
}: {
  accountId: string;
  onCreated: (tag: Tag) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateTag(accountId);
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const [color, setColor] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);

  const close = () => {
    setOpened(false);
    create.reset();
    setName('');
    setColor('');
    setNameError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Inside the contact form: this form's submit must not save the contact.
    event.stopPropagation();
    if (!name.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    create.mutate(
      { name: name.trim(), color: /^#[0-9a-fA-F]{6}$/.test(color) ? color : null },
      {
        onSuccess: (tag) => {
          onCreated(tag);
          close();
        },
      },
    );
  };

  const nameTaken = create.error instanceof ApiError && create.error.status === 409;

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Tooltip label={t('contacts.tags.create')}>
          <ActionIcon
            variant="light"
            size="lg"
            onClick={() => (opened ? close() : setOpened(true))}
            aria-label={t('contacts.tags.create')}
            data-testid="contact-create-tag"
          >
            <IconPlus size={16} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        {/* A form of its own, portalled out of the contact form. */}
        <form onSubmit={submit} noValidate>
          <Stack gap="xs" w={240}>
            <TextInput
              label={t('contacts.tags.name')}
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameError ?? (nameTaken ? t('contacts.tags.nameTaken') : null)}
              data-testid="create-tag-name"
            />
            <ColorInput
              label={t('contacts.tags.color')}
              format="hex"
              swatches={TAG_SWATCHES}
              value={color}
              onChange={setColor}
              popoverProps={{ withinPortal: false }}
            />
            {create.isError && !nameTaken && <ErrorAlert error={create.error} />}
            <Button type="submit" size="xs" loading={create.isPending} data-testid="create-tag-submit">
              {t('contacts.tags.createSubmit')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
