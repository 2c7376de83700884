import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_REASONS } from '../../../shared/distribution.ts';
import de from '../../locales/de.json';
import en from '../../locales/en.json';
import { reasonWords } from './use-reason-text.ts';

async function translator(lng: 'en' | 'de') {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { en: { translation: en }, de: { translation: de } },
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

describe('a target reason in words', () => {
  it('has words for every reason code in both languages (no key shows through)', async () => {
    for (const lng of ['en', 'de'] as const) {
      const t = await translator(lng);
      for (const reason of DISTRIBUTION_REASONS) {
        const words = reasonWords(t, reason, null);
        expect(words).not.toContain('distribution.reason');
        expect(words.length).toBeGreaterThan(3);
      }
    }
  });

  it('names each missing substitute by kind and name', async () => {
    const t = await translator('en');
    const detail = {
      missing: [
        { kind: 'email_template' as const, id: '4', name: 'Newsletter frame', suggestion: null },
        {
          kind: 'subscriber_list' as const,
          id: '9',
          name: 'Regulars',
          suggestion: { id: '1', name: 'Regulars' },
        },
      ],
    };
    expect(reasonWords(t, 'missing_substitute', detail)).toBe(
      'Missing substitute: Email template “Newsletter frame”, Subscriber list “Regulars”',
    );
    const de = await translator('de');
    expect(reasonWords(de, 'missing_substitute', detail)).toBe(
      'Stellvertreter fehlt: E-Mail-Vorlage „Newsletter frame“, Verteiler „Regulars“',
    );
  });

  it('names the conflicting name, and nothing without a reason', async () => {
    const t = await translator('en');
    expect(reasonWords(t, 'name_conflict', { name: 'Spring' })).toBe(
      'Another element of that name exists there: “Spring”',
    );
    expect(reasonWords(t, null, { name: 'Spring' })).toBe('');
  });
});
