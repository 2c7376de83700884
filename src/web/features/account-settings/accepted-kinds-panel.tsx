import { Button, Center, Checkbox, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyAccount } from '../../../shared/auth.ts';
import { DISTRIBUTABLE_KINDS, type DistributableKind } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useAcceptedKinds, useSaveAcceptedKinds } from '../distribution/use-accepted-kinds.ts';

/** "Accepted in distributions": which elements agencies above this account may distribute into it. */
export function AcceptedKindsPanel({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const accepted = useAcceptedKinds(account.id);
  if (accepted.isError) return <ErrorAlert error={accepted.error} onRetry={() => void accepted.refetch()} />;
  if (!accepted.data)
    return (
      <Center p="lg">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  return <AcceptedKindsForm accountId={account.id} initial={accepted.data.kinds} />;
}

function AcceptedKindsForm({ accountId, initial }: { accountId: string; initial: DistributableKind[] }) {
  const { t } = useTranslation();
  const save = useSaveAcceptedKinds(accountId);
  const [kinds, setKinds] = useState<DistributableKind[]>(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ kinds });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <Stack gap={2}>
          <Title order={4}>{t('distribution.accepted.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('distribution.accepted.intro')}
          </Text>
        </Stack>
        <Checkbox.Group
          value={kinds}
          onChange={(values) => {
            setKinds(DISTRIBUTABLE_KINDS.filter((kind) => values.includes(kind)));
            if (!save.isIdle) save.reset();
          }}
          aria-label={t('distribution.accepted.title')}
        >
          <Stack gap="xs">
            {DISTRIBUTABLE_KINDS.map((kind) => (
              <Checkbox
                key={kind}
                value={kind}
                label={t(`distribution.kind.${kind}`)}
                data-testid={`accepted-kind-${kind}`}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        {save.isError && <ErrorAlert error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending} data-testid="accepted-kinds-save">
            {t('common.save')}
          </Button>
          {save.isSuccess && (
            <Group gap={4} c="green" data-testid="accepted-kinds-saved">
              <IconCheck size={16} aria-hidden />
              <Text size="sm">{t('distribution.accepted.saved')}</Text>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
