import { Stack, Title } from '@mantine/core';
import { PlaceholderNote } from './placeholder-note.tsx';

/** A section that is in the navigation already but whose page ships later. */
export function PlaceholderPage({ title }: { title: string }) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <PlaceholderNote />
    </Stack>
  );
}
