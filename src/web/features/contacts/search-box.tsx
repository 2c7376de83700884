import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const DEBOUNCE_MS = 300;

/**
 * The search box: the URL follows the typing after a pause; when the URL changes otherwise
 * (Back, a shared link), the box follows the URL.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (search: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, DEBOUNCE_MS);
  const [seen, setSeen] = useState(value);
  // A URL change that is not our own debounced search (Back, a link, "clear filters") resets the box.
  if (value !== seen) {
    setSeen(value);
    if (value !== debounced.trim()) setText(value);
  }

  // Only typing (the debounced text) searches: the URL catching up must not search again.
  const search = debounced.trim();
  const searchChanged = search !== value;
  useEffect(() => {
    if (searchChanged) onSearch(search);
  }, [search]);

  return (
    <TextInput
      placeholder={t('contacts.search.placeholder')}
      aria-label={t('contacts.search.label')}
      leftSection={<IconSearch size={16} aria-hidden />}
      rightSection={
        text ? (
          <CloseButton size="sm" aria-label={t('contacts.search.clear')} onClick={() => setText('')} />
        ) : null
      }
      value={text}
      maxLength={200}
      onChange={(e) => setText(e.currentTarget.value)}
      w={{ base: '100%', sm: 320 }}
      data-testid="contacts-search"
    />
  );
}
