import { Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { useRowErrorText } from './import-labels.ts';

/**
 * The first rows as the server read them. A cell the mapping cannot take is red with the reason
 * as its tooltip; a row with a problem of its own (too many columns, broken quotes) says so below.
 */
export function PreviewTable({ upload }: { upload: ImportUpload }) {
  const { t } = useTranslation();
  const errorText = useRowErrorText();
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped withTableBorder withColumnBorders fz="xs" data-testid="import-preview">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>{t('imports.preview.row')}</Table.Th>
            {upload.header.map((name, index) => (
              <Table.Th key={index} data-testid="import-preview-header">
                {name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {upload.preview.map((row) => (
            <PreviewRowView key={row.row} row={row} columns={upload.header.length} errorText={errorText} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PreviewRowView({
  row,
  columns,
  errorText,
}: {
  row: ImportUpload['preview'][number];
  columns: number;
  errorText: (error: string) => string;
}) {
  return (
    <>
      <Table.Tr
        data-testid="import-preview-row"
        data-row={row.row}
        data-invalid={row.error !== null || undefined}
      >
        <Table.Td c="dimmed">{row.row}</Table.Td>
        {row.cells.map((cell, index) =>
          cell.error === null ? (
            <Table.Td key={index}>{cell.value}</Table.Td>
          ) : (
            <Tooltip key={index} label={errorText(cell.error)} withArrow multiline maw={320}>
              <Table.Td bg="red.1" c="red.9" data-testid="import-preview-invalid" data-error={cell.error}>
                {cell.value === '' ? '—' : cell.value}
              </Table.Td>
            </Tooltip>
          ),
        )}
      </Table.Tr>
      {row.error !== null && (
        <Table.Tr>
          <Table.Td />
          <Table.Td colSpan={columns}>
            <Text size="xs" c="red.8" data-testid="import-preview-row-error">
              {errorText(row.error)}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
