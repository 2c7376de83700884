import { Checkbox, Table, Text, UnstyledButton, Group } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, ContactSort, CustomField } from '../../../shared/contacts.ts';
import { ContactCell, type CellContext } from './contact-cell.tsx';
import { SORT_OF_COLUMN, type ColumnId } from './columns.ts';
import type { ContactSelection } from './selection/use-contact-selection.ts';
import { useColumnLabel } from './use-column-label.ts';

// Columns that may wrap; the others stay on one line (dates, badges, addresses).
const WRAPPING = new Set<ColumnId>(['tags', 'lists']);

interface ContactsTableProps {
  contacts: readonly Contact[];
  columns: readonly ColumnId[];
  customFields: readonly CustomField[];
  context: CellContext;
  sort: ContactSort;
  dir: 'asc' | 'desc';
  onSort: (sort: ContactSort) => void;
  /** Null when the user may not select (no bulk right): no checkboxes then. */
  selection: ContactSelection | null;
  onOpen: (contact: Contact) => void;
  dimmed: boolean;
}

/** The contacts of the view: sortable headers, row checkboxes, a click opens the contact. */
export function ContactsTable({
  contacts,
  columns,
  customFields,
  context,
  sort,
  dir,
  onSort,
  selection,
  onOpen,
  dimmed,
}: ContactsTableProps) {
  const { t } = useTranslation();
  const label = useColumnLabel(customFields);
  const ids = contacts.map((c) => c.id);
  const ticked = selection ? ids.filter((id) => selection.isSelected(id)).length : 0;

  const openOnKey = (event: KeyboardEvent, contact: Contact) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(contact);
    }
  };

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table
        highlightOnHover
        verticalSpacing="xs"
        horizontalSpacing="xs"
        data-testid="contacts-table"
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('contacts.selection.selectPage')}
                  checked={ids.length > 0 && ticked === ids.length}
                  indeterminate={ticked > 0 && ticked < ids.length}
                  disabled={ids.length === 0}
                  onChange={() => selection.togglePage(ids)}
                  data-testid="select-all-page"
                />
              </Table.Th>
            )}
            {columns.map((column) => {
              const columnSort = SORT_OF_COLUMN[column];
              if (!columnSort) return <Table.Th key={column}>{label(column)}</Table.Th>;
              const active = sort === columnSort;
              const Icon = active ? (dir === 'asc' ? IconArrowUp : IconArrowDown) : IconSelector;
              return (
                <Table.Th
                  key={column}
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  <UnstyledButton onClick={() => onSort(columnSort)} data-testid={`sort-${column}`}>
                    <Group gap={4} wrap="nowrap">
                      <Text size="sm" fw={700}>
                        {label(column)}
                      </Text>
                      <Icon size={14} aria-hidden />
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((contact) => (
            <Table.Tr
              key={contact.id}
              data-testid="contact-row"
              data-contact-id={contact.id}
              tabIndex={0}
              style={{ cursor: 'pointer' }}
              onClick={() => onOpen(contact)}
              onKeyDown={(event) => openOnKey(event, contact)}
            >
              {selection && (
                <Table.Td
                  onClick={(event) => event.stopPropagation()}
                  onKeyDown={(event) => event.stopPropagation()}
                >
                  <Checkbox
                    aria-label={t('contacts.selection.selectRow', {
                      name: contact.email ?? contact.phone ?? contact.id,
                    })}
                    checked={selection.isSelected(contact.id)}
                    onChange={() => selection.toggle(contact.id)}
                    data-testid="contact-select"
                  />
                </Table.Td>
              )}
              {columns.map((column) => (
                <Table.Td key={column} style={WRAPPING.has(column) ? undefined : { whiteSpace: 'nowrap' }}>
                  <ContactCell contact={contact} column={column} context={context} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
