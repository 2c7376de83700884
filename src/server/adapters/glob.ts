/**
 * File-name patterns for remote import sources: `*` (any run of characters), `?` (one character),
 * and `{date:FORMAT}` with FORMAT tokens YYYY, MM, DD (e.g. `export_{date:YYYYMMDD}_*.csv.pgp`),
 * the date being `now`'s calendar date in the IANA `timeZone`. Names only: no `/`. Case-sensitive.
 * An invalid pattern or time zone throws an `Error` whose message says what is wrong.
 */
export function compilePattern(pattern: string, now: Date, timeZone: string): (name: string) => boolean {
  if (pattern.length === 0) throw new Error('The file name pattern is empty.');
  if (pattern.length > 500) throw new Error('The file name pattern is longer than 500 characters.');
  if (pattern.includes('/') || pattern.includes('\\')) {
    throw new Error('The file name pattern must be a file name without a folder ("/" or "\\").');
  }
  const dateParts = calendarDate(now, timeZone);
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === '*') {
      source += '[^/]*';
      i++;
    } else if (ch === '?') {
      source += '[^/]';
      i++;
    } else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) throw new Error(`Unclosed "{" at position ${i + 1} of the file name pattern.`);
      const inner = pattern.slice(i + 1, end);
      if (!inner.startsWith('date:')) {
        throw new Error(`Unknown placeholder "{${inner}}": only {date:FORMAT} is supported.`);
      }
      source += escapeRegExp(formatDate(inner.slice(5), dateParts));
      i = end + 1;
    } else if (ch === '}') {
      throw new Error(`Unexpected "}" at position ${i + 1} of the file name pattern.`);
    } else {
      source += escapeRegExp(ch);
      i++;
    }
  }
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `now`'s calendar date in the IANA `timeZone`: YYYY, MM and DD, zero-padded. */
function calendarDate(now: Date, timeZone: string): Record<string, string> {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
  } catch {
    throw new Error(`Unknown time zone "${timeZone}".`);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { YYYY: part('year').padStart(4, '0'), MM: part('month'), DD: part('day') };
}

/** `format` with YYYY, MM, DD replaced from `values`; other letters are refused. */
function formatDate(format: string, values: Record<string, string>): string {
  if (format.length === 0) {
    throw new Error('The date placeholder needs a format, e.g. {date:YYYYMMDD}.');
  }
  let out = '';
  let i = 0;
  while (i < format.length) {
    const token = ['YYYY', 'MM', 'DD'].find((t) => format.startsWith(t, i));
    if (token) {
      out += values[token] ?? '';
      i += token.length;
      continue;
    }
    const ch = format.charAt(i);
    if (/[\p{L}\p{N}*?{/]/u.test(ch)) {
      throw new Error(
        `Unknown date format "${format}": use YYYY, MM and DD with separators such as "-", "_" or ".".`,
      );
    }
    out += ch;
    i++;
  }
  return out;
}
