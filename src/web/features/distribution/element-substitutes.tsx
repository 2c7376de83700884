import { Anchor, Badge, Center, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { accountPath } from '../../app/sections.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useSubstitutes } from '../substitutes/use-substitutes.ts';

/** The substitutes registered for this element, one per target account. */
export function ElementSubstitutes({
  accountId,
  kind,
  elementId,
}: {
  accountId: string;
  kind: DistributableKind;
  elementId: string;
}) {
  const { t } = useTranslation();
  const substitutes = useSubstitutes(accountId, {
    targetAccountId: null,
    kind,
    sourceId: elementId,
    search: '',
  });
  const items = substitutes.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
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
    </Stack>
  );
}
