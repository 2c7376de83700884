import { ActionIcon, Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DistributableKind, Substitute } from '../../../shared/distribution.ts';
import { accountPath } from '../../app/sections.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { AddSubstituteDialog } from '../substitutes/add-substitute-dialog.tsx';
import { useDeleteSubstitutes, useSubstitutes } from '../substitutes/use-substitutes.ts';
import { useTargetAccounts } from './use-target-accounts.ts';

/** The substitutes registered for this element, one per target account: add one, delete one. */
export function ElementSubstitutes({
  accountId,
  kind,
  elementId,
  elementName,
}: {
  accountId: string;
  kind: DistributableKind;
  elementId: string;
  elementName: string;
}) {
  const { t } = useTranslation();
  const targets = useTargetAccounts(accountId);
  const remove = useDeleteSubstitutes(accountId);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Substitute | null>(null);
  const substitutes = useSubstitutes(accountId, {
    targetAccountId: null,
    kind,
    sourceId: elementId,
    search: '',
  });
  const items = substitutes.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => setAdding(true)}
          data-testid="element-substitute-add"
        >
          {t('substitutes.add.button')}
        </Button>
      </Group>
      {substitutes.isError && (
        <ErrorAlert error={substitutes.error} onRetry={() => void substitutes.refetch()} />
      )}
      {substitutes.isPending && (
        <Center p="lg">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {substitutes.data && items.length === 0 && (
        <Text c="dimmed" data-testid="element-substitutes-empty">
          {t('distribution.substitutesOfElement.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table data-testid="element-substitutes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('substitutes.table.target')}</Table.Th>
              <Table.Th>{t('substitutes.table.substitute')}</Table.Th>
              <Table.Th aria-label={t('common.actions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id} data-testid="element-substitute-row">
                <Table.Td>{item.targetAccount.name}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {item.substitute.name}
                    {item.substitute.missing && (
                      <Badge color="red" variant="light" tt="none">
                        {t('substitutes.table.missing')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`${t('common.delete')}: ${item.targetAccount.name}`}
                    onClick={() => setDeleting(item)}
                    data-testid="element-substitute-delete"
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {substitutes.hasNextPage && (
        <Anchor component="button" onClick={() => void substitutes.fetchNextPage()}>
          {t('substitutes.table.loadMore')}
        </Anchor>
      )}
      <Anchor component={Link} to={accountPath(accountId, 'substitutes')} size="sm">
        {t('distribution.substitutesOfElement.manage')}
      </Anchor>
      {adding && (
        <AddSubstituteDialog
          accountId={accountId}
          opened={adding}
          targets={targets.data ?? []}
          initialTargetId={null}
          source={{ kind, id: elementId, name: elementName }}
          onClose={() => setAdding(false)}
        />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('substitutes.deleteTitle')}
        text={t('substitutes.deleteText', { count: 1 })}
        error={remove.error}
        pending={remove.isPending}
        confirmLabel={t('common.delete')}
        onConfirm={() => deleting && remove.mutate([deleting.id], { onSuccess: () => setDeleting(null) })}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        confirmTestId="element-substitute-delete-confirm"
      />
    </Stack>
  );
}
