import { Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/auth.ts';
import type { EmailPreferences } from '../../../shared/notifications.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { EmailModesFieldset } from './email-modes-fieldset.tsx';
import { useNotificationSettings } from './use-notification-settings.ts';
import { useUpdateNotificationSettings } from './use-update-notification-settings.ts';
import { useUpdateSettings } from './use-update-settings.ts';

// The Select needs a value for "no preference" (null in the API).
type LanguageChoice = Language | 'browser';

/**
 * Name, language, display time zone and system-message preferences of the logged-in user: whether they get system
 * messages by email, and which types. One Save stores both (the per-type choices only when changed).
 */
export function BasicSettingsForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const update = useUpdateSettings();
  const preferences = useNotificationSettings();
  const updateModes = useUpdateNotificationSettings();
  const [name, setName] = useState(user.name);
  const [language, setLanguage] = useState<LanguageChoice>(user.language ?? 'browser');
  const [emailSystemMessages, setEmailSystemMessages] = useState(user.emailSystemMessages);
  const [timeZone, setTimeZone] = useState<string | null>(user.timeZone);
  // Null until the user changes a choice: until then the stored ones show.
  const [modes, setModes] = useState<EmailPreferences['modes'] | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  // Any edit hides the "saved" note of the previous save.
  const edited = () => {
    if (!update.isIdle) update.reset();
    if (!updateModes.isIdle) updateModes.reset();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    // One after the other: each answer refreshes what the other one changed too (the shared switch).
    try {
      await update.mutateAsync({
        name: name.trim(),
        language: language === 'browser' ? null : language,
        emailSystemMessages,
        timeZone,
      });
      if (modes) {
        await updateModes.mutateAsync({ modes });
        setModes(null);
      }
    } catch {
      // shown from the mutation's state
    }
  };
  const saved = update.isSuccess && !updateModes.isPending && !updateModes.isError;

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
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
        <TimeZoneSelect
          label={t('settings.basic.timeZone')}
          description={t('settings.basic.timeZoneHint')}
          empty={t('settings.basic.timeZoneAccount')}
          value={timeZone}
          onChange={(zone) => {
            setTimeZone(zone);
            edited();
          }}
          data-testid="settings-time-zone"
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
        {preferences.isError && (
          <ErrorAlert error={preferences.error} onRetry={() => void preferences.refetch()} />
        )}
        {preferences.data && (
          <EmailModesFieldset
            modes={modes ?? preferences.data.modes}
            onChange={(type, mode) => {
              setModes({ ...(modes ?? preferences.data.modes), [type]: mode });
              edited();
            }}
            disabled={!emailSystemMessages}
          />
        )}
        {update.isError && <ErrorAlert error={update.error} />}
        {updateModes.isError && <ErrorAlert error={updateModes.error} />}
        <Group>
          <Button
            type="submit"
            loading={update.isPending || updateModes.isPending}
            data-testid="settings-save"
          >
            {t('common.save')}
          </Button>
          {/* Rendered from state, not a toast: after a language change it appears in the new language. */}
          {saved && (
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
