// PostgreSQL array literals for one bound parameter (`${pgArray(values)}::text[]`). Drizzle
// expands a JS array into a parameter list instead, which `unnest`/`ANY` cannot take (and an
// empty one is a syntax error), and a million list parameters would pass the 65,535 limit.

/**
 * `values` as an array literal: strings double-quoted with `"` and `\` escaped, null as NULL,
 * numbers as they are (PostgreSQL docs, "Array Value Input"). Strings must not contain NUL,
 * which PostgreSQL text cannot hold.
 */
export function pgArray(values: readonly (string | number | bigint | null)[]): string {
  return `{${values
    .map((v) =>
      v === null
        ? 'NULL'
        : typeof v === 'string'
          ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
          : String(v),
    )
    .join(',')}}`;
}
