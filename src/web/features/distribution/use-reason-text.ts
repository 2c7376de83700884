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
export function useReasonText(): (reason: DistributionReason | null, detail: TargetDetail | null) => string {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  return (reason, detail) => {
    if (!reason) return '';
    const words = t(`distribution.reason.${reason}`);
    const parts: string[] = [];
    for (const part of detail?.missing ?? [])
      parts.push(t('distribution.missingPart', { kind: kindLabel(part.kind), name: part.name }));
    if (detail?.reference)
      parts.push(
        t('distribution.missingPart', {
          kind: kindLabel(detail.reference.kind),
          name: detail.reference.name,
        }),
      );
    if (detail?.name) parts.push(`“${detail.name}”`);
    if (detail?.message && reason === 'transaction_failed') parts.push(detail.message);
    return parts.length > 0
      ? t('distribution.reasonParts', { reason: words, parts: parts.join(', ') })
      : words;
  };
}
