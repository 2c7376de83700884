import { Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/auth.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useUpdateSettings } from './use-update-settings.ts';

// The Select needs a value for "no preference" (null in the API).
type LanguageChoice = Language | 'browser';

/** Name, language and system-message preference of the logged-in user. */
export function BasicSettingsForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const update = useUpdateSettings();
  const [name, setName] = useState(user.name);
  const [language, setLanguage] = useState<LanguageChoice>(user.language ?? 'browser');
  const [emailSystemMessages, setEmailSystemMessages] = useState(user.emailSystemMessages);
  const [nameError, setNameError] = useState<string | null>(null);

  // Any edit hides the "saved" note of the previous save.
  const edited = () => {
    if (!update.isIdle) update.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    update.mutate({
      name: name.trim(),
      language: language === 'browser' ? null : language,
      emailSystemMessages,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <TextInput
          label={t('settings.basic.name')}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            edited();
          }}
          error={nameError}
          autoComplete="name"
          data-testid="settings-name"
        />
        <TextInput label={t('settings.basic.email')} value={user.email} readOnly variant="filled" />
        <Select<LanguageChoice>
          label={t('settings.basic.language')}
          description={t('settings.basic.languageHint')}
          data={[
            { value: 'browser', label: t('settings.basic.languageBrowser') },
            ...LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) })),
          ]}
          value={language}
          onChange={(value) => {
            if (value) setLanguage(value);
            edited();
          }}
          allowDeselect={false}
          data-testid="settings-language"
        />
        <Checkbox
          label={t('settings.basic.emailSystemMessages')}
          checked={emailSystemMessages}
          onChange={(e) => {
            setEmailSystemMessages(e.currentTarget.checked);
            edited();
          }}
          data-testid="settings-email-system-messages"
        />
        {update.isError && <ErrorAlert error={update.error} />}
        <Group>
          <Button type="submit" loading={update.isPending} data-testid="settings-save">
            {t('common.save')}
          </Button>
          {/* Rendered from state, not a toast: after a language change it appears in the new language. */}
          {update.isSuccess && (
            <Group gap={4} c="green" data-testid="settings-saved">
              <IconCheck size={16} aria-hidden />
              <Text size="sm">{t('settings.basic.saved')}</Text>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
