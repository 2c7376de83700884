import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Shown instead of a page the user may not open, or an address that leads nowhere. */
export function NoAccess({ reason }: { reason: 'account' | 'section' | 'notFound' }) {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" data-testid="no-access">
      <Title order={2}>{t(`noAccess.${reason}.title`)}</Title>
      <Text>{t(`noAccess.${reason}.text`)}</Text>
      <Button component={Link} to="/" variant="light">
        {t('noAccess.home')}
      </Button>
    </Stack>
  );
}
