/** Where a record starts, and whether a quote in it was broken (seen by the scanner, not csv-parse). */
export interface RecordMark {
  /** Physical line (1-based) of the record's first character. */
  line: number;
  /** A quoted field was closed by a quote followed by something other than a delimiter or line end. */
  invalidQuote: boolean;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Runs beside csv-parse over the same decoded text and mirrors its reading of quotes (with
 * `relax_quotes`, record delimiters CRLF, LF and CR, empty lines kept as records), so that every
 * record csv-parse emits has a mark here, in the same order: the physical line where it starts
 * (csv-parse's `info.lines` is where it ends, and counts a CRLF inside quotes twice) and whether its
 * quoting was broken (csv-parse, relaxed, silently keeps the quote as text).
 * One pass over the text, O(1) state besides the queue of marks not yet taken.
 */
export class RecordScanner {
  private readonly delimiter: number;
  private readonly marks: RecordMark[] = [];
  private head = 0;
  private line = 1;
  private recordLine = 1;
  private recordHasContent = false;
  private invalidQuote = false;
  private inQuotes = false;
  private fieldStart = true;
  // A CR, or a quote inside quotes, at the end of a chunk: its meaning depends on the next character.
  private carry = '';

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Line (1-based) the scanner has reached. */
  get currentLine(): number {
    return this.line;
  }

  /** Start line of the record being read now (not yet complete). */
  get openRecordLine(): number {
    return this.recordLine;
  }

  /** Takes the mark of the next complete record, in order; undefined if the scanner has none. */
  next(): RecordMark | undefined {
    if (this.head >= this.marks.length) return undefined;
    const mark = this.marks[this.head++];
    if (this.head > 1024 && this.head * 2 > this.marks.length) {
      this.marks.splice(0, this.head);
      this.head = 0;
    }
    return mark;
  }

  /** Scans the next piece of text. */
  push(chunk: string): void {
    const text = this.carry + chunk;
    this.carry = '';
    // A last CR (LF next?) or quote ("" or a closing quote?) waits for the next chunk to be read.
    const lastCode = text.charCodeAt(text.length - 1);
    const keep = lastCode === CR || lastCode === QUOTE ? 1 : 0;
    const stop = this.scan(text, text.length - keep);
    if (stop < text.length) this.carry = text.slice(stop);
  }

  /** The text ended: completes the last record (if it has any character). */
  end(): void {
    const text = this.carry;
    this.carry = '';
    this.scan(text, text.length);
    if (this.recordHasContent) this.endRecord();
  }

  // Scans text[0..limit), looking ahead into the rest of text (the end of the text is the end of the
  // file); answers the index after the last character used. State lives in locals in the loop: this
  // runs over every character of the file.
  private scan(text: string, limit: number): number {
    const delimiter = this.delimiter;
    let { line, inQuotes, fieldStart, invalidQuote, recordHasContent } = this;
    let i = 0;
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      recordHasContent = true;
      if (inQuotes) {
        if (c === QUOTE) {
          const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
          if (next === QUOTE) {
            i++; // "" is an escaped quote
            continue;
          }
          inQuotes = false;
          fieldStart = false;
          if (next !== -1 && next !== delimiter && next !== CR && next !== LF) invalidQuote = true;
        } else if (c === LF) line++;
        else if (c === CR) {
          line++;
          if (text.charCodeAt(i + 1) === LF) i++;
        }
      } else if (c === CR || c === LF) {
        line++;
        this.marks.push({ line: this.recordLine, invalidQuote });
        this.recordLine = line;
        recordHasContent = false;
        invalidQuote = false;
        fieldStart = true;
        if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      } else if (c === delimiter) fieldStart = true;
      else if (c === QUOTE && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else fieldStart = false;
    }
    Object.assign(this, { line, inQuotes, fieldStart, invalidQuote, recordHasContent });
    return i;
  }

  private endRecord(): void {
    this.marks.push({ line: this.recordLine, invalidQuote: this.invalidQuote });
    this.recordLine = this.line;
    this.recordHasContent = false;
    this.invalidQuote = false;
    this.fieldStart = true;
  }
}
