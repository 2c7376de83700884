import { Badge, Group } from '@mantine/core';
import type { Tag } from '../../../shared/contacts.ts';

/** A contact's tags as small badges in each tag's own colour. */
export function TagBadges({ tagIds, tags }: { tagIds: readonly string[]; tags: ReadonlyMap<string, Tag> }) {
  const known = tagIds.map((id) => tags.get(id)).filter((tag): tag is Tag => tag !== undefined);
  if (known.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      {known.map((tag) => (
        <TagBadge key={tag.id} tag={tag} />
      ))}
    </Group>
  );
}

export function TagBadge({ tag }: { tag: Tag }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={tag.color ?? 'gray'}
      tt="none"
      miw="max-content"
      data-testid="tag-badge"
    >
      {tag.name}
    </Badge>
  );
}
