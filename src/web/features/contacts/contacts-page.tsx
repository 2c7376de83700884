import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '../../components/placeholder-page.tsx';

export function ContactsPage() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('nav.contacts')} />;
}
