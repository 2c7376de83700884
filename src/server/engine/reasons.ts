// Reason codes in words. A failed or skipped item stores a stable reason code; what the stats
// page and the error log show is its label in the reader's language: the type's own words for
// its codes (registered with the type), else the engine's words for the codes the engine itself
// writes (cancelled deliveries, exhausted retries, …), else "Other reason (code)".
import type { Language } from '../../shared/auth.ts';
import type { BulkTypeRegistry } from './registry.ts';

/** A reason's label in every language the app speaks (a missing language is a compile error). */
export type ReasonTexts = Readonly<Record<Language, string>>;

/** Reason code → its label, as a type registers them. */
export type ReasonCatalog = Readonly<Record<string, ReasonTexts>>;

/**
 * The codes the engine writes for any type: a delivery's final state (delivery-dispatcher.ts,
 * `BulkRunner.settleDelivery`) and the common words delivery kinds use. A type may give any of
 * them its own wording.
 */
export const ENGINE_REASONS = {
  cancelled: { en: 'Cancelled before it was sent', de: 'Vor dem Versand abgebrochen' },
  failed: { en: 'Failed', de: 'Fehlgeschlagen' },
  rejected: { en: 'Rejected by the receiving side', de: 'Von der Gegenseite abgelehnt' },
  retries_exhausted: {
    en: 'Still failing after the last retry',
    de: 'Auch nach dem letzten Versuch fehlgeschlagen',
  },
  postponed_too_often: {
    en: 'The receiving side asked to wait too often',
    de: 'Die Gegenseite bat zu oft um Aufschub',
  },
  interrupted: {
    en: 'Interrupted while sending; not sent again to avoid a duplicate',
    de: 'Beim Senden unterbrochen; nicht erneut gesendet, um Doppelte zu vermeiden',
  },
  timeout: {
    en: 'No answer in time; not sent again to avoid a duplicate',
    de: 'Keine Antwort in der Zeit; nicht erneut gesendet, um Doppelte zu vermeiden',
  },
  invalid_subject: { en: 'Invalid recipient or item data', de: 'Ungültige Empfänger- oder Elementdaten' },
} as const satisfies ReasonCatalog;

/** A code that neither its type nor the engine knows (a code of a newer or removed version). */
const OTHER_REASON: Readonly<Record<Language, (code: string) => string>> = {
  en: (code) => `Other reason (${code})`,
  de: (code) => `Anderer Grund (${code})`,
};

/**
 * The label of `code` on an action of `type`, in `lang`: the type's words, else the engine's,
 * else "Other reason (code)" (also for a type no feature registers any more).
 */
export function reasonLabel(registry: BulkTypeRegistry, type: string, code: string, lang: Language): string {
  const own = registry.find(type)?.reasons;
  const texts = (own && Object.hasOwn(own, code) ? own[code] : undefined) ?? engineReason(code);
  return texts ? texts[lang] : OTHER_REASON[lang](code);
}

function engineReason(code: string): ReasonTexts | undefined {
  return Object.hasOwn(ENGINE_REASONS, code)
    ? ENGINE_REASONS[code as keyof typeof ENGINE_REASONS]
    : undefined;
}
