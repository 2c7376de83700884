import { IMPORT_DELIMITERS, type ImportDelimiter } from '../../../../shared/import-files.ts';

const SAMPLE_RECORDS = 50;

/**
 * Field counts of the first records of `text` split by `delimiter`, counting delimiters outside
 * double quotes only (a quoted field may hold delimiters and line breaks). Blank lines are left out;
 * so is a last record cut off by the end of the sample.
 */
function fieldCounts(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let blank = true;
  let inQuotes = false;
  for (let i = 0; i < text.length && counts.length < SAMPLE_RECORDS; i++) {
    const c = text[i];
    if (c === '"') {
      // A quote opens only at the start of a field; `""` inside quotes is an escaped quote.
      if (inQuotes) {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (blank || text[i - 1] === delimiter) inQuotes = true;
      blank = false;
    } else if (inQuotes) continue;
    else if (c === delimiter) {
      fields++;
      blank = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!blank) counts.push(fields);
      fields = 1;
      blank = true;
    } else if (c !== ' ') blank = false;
  }
  // The sample may end mid-record: keep that record only when it is the only one.
  if (!blank && !inQuotes && counts.length === 0) counts.push(fields);
  return counts;
}

/**
 * The delimiter among `,` `;` tab `|` that splits the first ~50 records of `sampleText` into the
 * most consistent number of fields (more than one): the share of records having the most common
 * count. Ties go to `,`, then `;`, tab, `|`; no candidate at all gives `,`.
 */
export function detectDelimiter(sampleText: string): ImportDelimiter {
  let best: ImportDelimiter = ',';
  let bestScore = 0;
  for (const delimiter of IMPORT_DELIMITERS) {
    const counts = fieldCounts(sampleText, delimiter);
    if (counts.length === 0) continue;
    const frequency = new Map<number, number>();
    for (const n of counts) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    let modeCount = 0;
    let modeSeen = 0;
    for (const [n, seen] of frequency) {
      if (seen > modeSeen || (seen === modeSeen && n > modeCount)) {
        modeCount = n;
        modeSeen = seen;
      }
    }
    if (modeCount <= 1) continue;
    const score = modeSeen / counts.length;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}
