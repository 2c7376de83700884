import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '../../components/placeholder-page.tsx';

export function MailingsPage() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('nav.mailings')} />;
}
