/** Colours offered for tags (any #rrggbb is allowed). */
export const TAG_SWATCHES = [
  '#c92a2a',
  '#e67700',
  '#2f9e44',
  '#1971c2',
  '#6741d9',
  '#c2255c',
  '#0c8599',
  '#495057',
];
