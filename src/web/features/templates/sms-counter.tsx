import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { smsInfo } from '../../../shared/sms-segments.ts';

/** Characters, encoding and segments of an SMS text as written, updated on every keystroke. */
export function SmsCounter({ text }: { text: string }) {
  const { t } = useTranslation();
  const info = smsInfo(text);
  return (
    <Group gap="xs" data-testid="sms-counter" data-encoding={info.encoding} data-segments={info.segments}>
      <Text size="sm" data-testid="sms-characters">
        {t('templates.sms.characters', { count: info.characters })}
      </Text>
      <Tooltip label={t('templates.sms.ucsHint')} multiline maw={280} disabled={info.encoding === 'GSM-7'}>
        <Badge variant="light" color={info.encoding === 'GSM-7' ? 'gray' : 'orange'} tt="none">
          {t('templates.sms.encoding', { encoding: info.encoding })}
        </Badge>
      </Tooltip>
      <Badge
        variant="light"
        color={info.segments > 1 ? 'orange' : 'blue'}
        tt="none"
        data-testid="sms-segments"
      >
        {t('templates.sms.segments', { count: info.segments })}
      </Badge>
      <Text size="xs" c="dimmed">
        {t('templates.sms.perSegment', { count: info.perSegment })}
      </Text>
    </Group>
  );
}
