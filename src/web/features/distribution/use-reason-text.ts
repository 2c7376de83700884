import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DistributionReason, ElementKind, TargetDetail } from '../../../shared/distribution.ts';

/** An element kind in words ("Email template"). */
export function useKindLabel(): (kind: ElementKind) => string {
  const { t } = useTranslation();
  return (kind) => t(`distribution.kind.${kind}`);
}

/**
 * A target's reason in words, with the parts it names: "Missing substitute: Email template
 * “Newsletter frame”", "Another element of that name exists there: “Spring”". Empty without a reason.
 */
export function reasonWords(
  t: TFunction,
  reason: DistributionReason | null,
  detail: TargetDetail | null,
): string {
  if (!reason) return '';
  const words = t(`distribution.reason.${reason}`);
  const part = (kind: ElementKind, name: string) =>
    t('distribution.missingPart', { kind: t(`distribution.kind.${kind}`), name });
  const parts: string[] = (detail?.missing ?? []).map((missing) => part(missing.kind, missing.name));
  if (detail?.reference) parts.push(part(detail.reference.kind, detail.reference.name));
  if (detail?.name) parts.push(`“${detail.name}”`);
  // The server's message says what broke; only an unexpected failure has one worth showing.
  if (detail?.message && reason === 'transaction_failed') parts.push(detail.message);
  return parts.length > 0 ? t('distribution.reasonParts', { reason: words, parts: parts.join(', ') }) : words;
}

/** `reasonWords` in the UI's language. */
export function useReasonText(): (reason: DistributionReason | null, detail: TargetDetail | null) => string {
  const { t } = useTranslation();
  return (reason, detail) => reasonWords(t, reason, detail);
}
