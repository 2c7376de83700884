import { Alert, Radio, SegmentedControl, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FIELD_POLICIES, IMPORT_MODES, type FieldPolicy } from '../../../shared/imports.ts';
import { mapsConsent, policyKeys, type MatchBy, type WizardSettings } from './import-settings.ts';
import { usePolicyKeyLabel } from './use-target-options.ts';

const MATCH_BY: readonly MatchBy[] = ['email', 'phone'];

/**
 * Step 4: create, update or both; the match key; per mapped field how an existing contact takes
 * the file's value; whether empty cells clear fields; whether consent columns apply to existing
 * contacts (never resubscribing the unsubscribed or bounced).
 */
export function ModeStep({
  settings,
  onChange,
  accountId,
}: {
  settings: WizardSettings;
  onChange: (settings: WizardSettings) => void;
  accountId: string;
}) {
  const { t } = useTranslation();
  const fieldLabel = usePolicyKeyLabel(accountId);
  const keys = policyKeys(settings.columns, settings.matchBy);
  const consentMapped = mapsConsent(settings.columns);

  return (
    <Stack maw={760}>
      <Stack gap={4}>
        <Text fw={500} size="sm">
          {t('imports.mode.mode')}
        </Text>
        <SegmentedControl
          data={IMPORT_MODES.map((mode) => ({ value: mode, label: t(`imports.mode.modes.${mode}`) }))}
          value={settings.mode}
          onChange={(value) => {
            const mode = IMPORT_MODES.find((m) => m === value);
            if (mode) onChange({ ...settings, mode });
          }}
          data-testid="import-mode"
        />
        <Text size="xs" c="dimmed">
          {t(`imports.mode.modeHints.${settings.mode}`)}
        </Text>
      </Stack>
      <Radio.Group
        label={t('imports.mode.matchBy')}
        description={t('imports.mode.matchByHint')}
        value={settings.matchBy}
        onChange={(value) => {
          const matchBy = MATCH_BY.find((m) => m === value);
          if (matchBy) onChange({ ...settings, matchBy });
        }}
      >
        <Stack gap="xs" mt="xs">
          {MATCH_BY.map((field) => (
            <Radio
              key={field}
              value={field}
              label={t(`imports.fields.${field}`)}
              data-testid={`import-match-${field}`}
            />
          ))}
        </Stack>
      </Radio.Group>

      {settings.mode !== 'create' && keys.length > 0 && (
        <Stack gap="xs">
          <Title order={5}>{t('imports.mode.policies')}</Title>
          <Text size="xs" c="dimmed">
            {t('imports.mode.policiesHint')}
          </Text>
          <Table withTableBorder data-testid="import-policies">
            <Table.Tbody>
              {keys.map((key) => (
                <Table.Tr key={key}>
                  <Table.Td fw={500}>{fieldLabel(key)}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('imports.mode.policyOf', { field: fieldLabel(key) })}
                      data={FIELD_POLICIES.map((policy) => ({
                        value: policy,
                        label: t(`imports.mode.policyNames.${policy}`),
                      }))}
                      value={settings.policies[key] ?? 'overwrite'}
                      allowDeselect={false}
                      onChange={(value) => {
                        const policy = FIELD_POLICIES.find((p): p is FieldPolicy => p === value);
                        if (policy)
                          onChange({ ...settings, policies: { ...settings.policies, [key]: policy } });
                      }}
                      data-testid="import-policy"
                      data-field={key}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}

      <Switch
        label={t('imports.mode.blankClears')}
        description={t('imports.mode.blankClearsHint')}
        checked={settings.blankClears}
        onChange={(event) => onChange({ ...settings, blankClears: event.currentTarget.checked })}
        data-testid="import-blank-clears"
      />
      <Switch
        label={t('imports.mode.applyConsent')}
        description={consentMapped ? t('imports.mode.applyConsentHint') : t('imports.mode.noConsentColumn')}
        checked={settings.applyConsent && consentMapped}
        disabled={!consentMapped}
        onChange={(event) => onChange({ ...settings, applyConsent: event.currentTarget.checked })}
        data-testid="import-apply-consent"
      />
      {settings.applyConsent && consentMapped && (
        <Alert color="yellow" icon={<IconInfoCircle />} data-testid="import-consent-warning">
          {t('imports.mode.consentWarning')}
        </Alert>
      )}
    </Stack>
  );
}
