import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { smsInfo } from '../../../shared/sms-segments.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';

/**
 * Live counter under an SMS text: characters, encoding (one character outside GSM-7 turns the
 * whole text into UCS-2) and segments (160/153 or 70/67 characters each).
 */
export function SmsCounter({ text }: { text: string }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const info = smsInfo(text);
  return (
    <Group
      gap="xs"
      data-testid="sms-counter"
      data-encoding={info.encoding}
      data-characters={info.characters}
      data-segments={info.segments}
    >
      <Text size="xs" c="dimmed">
        {t('messaging.sms.characters', { count: info.characters, formatted: n(info.characters) })}
      </Text>
      <Badge size="sm" variant="light" color={info.encoding === 'GSM-7' ? 'gray' : 'orange'} tt="none">
        {info.encoding}
      </Badge>
      <Text size="xs" c="dimmed">
        {t('messaging.sms.segments', { count: info.segments, formatted: n(info.segments) })}
      </Text>
      {info.encoding === 'UCS-2' && (
        <Text size="xs" c="orange.8">
          {t('messaging.sms.ucs2Hint')}
        </Text>
      )}
    </Group>
  );
}
