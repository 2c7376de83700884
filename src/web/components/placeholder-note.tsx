import { Group, Paper, Text } from '@mantine/core';
import { IconHourglassEmpty } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** "This page arrives with a later release", for parts of the UI that are planned but not built. */
export function PlaceholderNote() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg" data-testid="placeholder-note">
      <Group gap="sm" wrap="nowrap">
        <IconHourglassEmpty aria-hidden />
        <Text>{t('placeholder.note')}</Text>
      </Group>
    </Paper>
  );
}
