import { z, type ZodType } from 'zod';

/**
 * The `{ items }` wrapper of the catalogue list answers. src/shared/contacts.ts exports the item
 * schemas but not the wrappers (the server declares them inline), so the web wraps them here.
 */
export function itemsSchema<T>(item: ZodType<T>) {
  return z.object({ items: z.array(item) });
}
