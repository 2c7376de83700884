import type { TFunction } from 'i18next';
import { ROLE_NAMES, type Role } from '../../../shared/rights.ts';

/** The roles of src/shared/rights.ts as Select options, in their order there (most rights first). */
export function roleOptions(t: TFunction): { value: Role; label: string }[] {
  return ROLE_NAMES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
}
