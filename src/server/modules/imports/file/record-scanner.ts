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
    const last = text.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = text.charCodeAt(i);
      if ((c === CR || (c === QUOTE && this.inQuotes)) && i === last) {
        this.carry = text[i]!;
        return;
      }
      i = this.step(text, i, c);
    }
  }

  /** The text ended: completes the last record (if it has any character). */
  end(): void {
    const text = this.carry;
    this.carry = '';
    for (let i = 0; i < text.length; i++) i = this.step(text, i, text.charCodeAt(i));
    if (this.recordHasContent) this.endRecord();
  }

  // Reads the character at i (with lookahead into text) and answers the index of the last one used.
  private step(text: string, i: number, c: number): number {
    this.recordHasContent = true;
    if (this.inQuotes) {
      if (c === QUOTE) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
        if (next === QUOTE) return i + 1; // "" is an escaped quote
        this.inQuotes = false;
        this.fieldStart = false;
        if (next !== -1 && next !== this.delimiter && next !== CR && next !== LF) this.invalidQuote = true;
        return i;
      }
      if (c === LF) this.line++;
      else if (c === CR) {
        this.line++;
        if (text.charCodeAt(i + 1) === LF) return i + 1;
      }
      return i;
    }
    if (c === CR || c === LF) {
      this.line++;
      this.endRecord();
      return c === CR && text.charCodeAt(i + 1) === LF ? i + 1 : i;
    }
    if (c === this.delimiter) this.fieldStart = true;
    else if (c === QUOTE && this.fieldStart) {
      this.inQuotes = true;
      this.fieldStart = false;
    } else this.fieldStart = false;
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
