// Composing messages from templates: compile once per template (or per bulk action), render once per
// recipient. Pure functions: no database, no I/O. A syntax error when compiling, or a limit hit when
// rendering, is a 400 TEMPLATE_INVALID naming the part, the line and LiquidJS's message.
import { compile as compileHtmlToText } from 'html-to-text';
import { Output, Tag } from 'liquidjs';
import { AppError } from '../../errors.ts';
import { smsInfo, type SmsInfo } from '../../../shared/sms-segments.ts';
import {
  compilePart,
  fieldsOfPart,
  renderPart,
  templateProblem,
  type CompiledPart,
  type MergeValues,
} from './template-render.ts';

export type TemplatePartName = 'subject' | 'html' | 'text';

/** A compiled email template. `fields`: every merge field its parts use. */
export interface CompiledEmail {
  readonly subject: CompiledPart;
  readonly html: CompiledPart;
  /** Null: the text part is generated from the rendered HTML. */
  readonly text: CompiledPart | null;
  /**
   * Without a text part, and when the HTML merges values only by output (`{{ … }}`, no tags): the
   * text part as a plain template, made once from the HTML with each output kept in place, so a
   * recipient's text part needs no HTML conversion. Null: converted per recipient.
   */
  readonly generatedText: CompiledPart | null;
  readonly fields: readonly string[];
}

/** One recipient's email. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A compiled SMS template. */
export interface CompiledSms {
  readonly text: CompiledPart;
  readonly fields: readonly string[];
}

/** One recipient's SMS and its size. */
export interface RenderedSms {
  text: string;
  info: SmsInfo;
}

// Compiled once: html-to-text's option handling is the expensive part of a conversion. No word
// wrap and no upper-casing, so that a value merged into the text (see textTemplateOf) reads exactly
// as it would after converting the merged HTML.
const headings = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector,
  options: { uppercase: false },
}));
const htmlToText = compileHtmlToText({
  wordwrap: false,
  selectors: [
    // "text [url]"; a link whose text is its URL appears once.
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: 'img', format: 'skip' },
    { selector: 'table', options: { uppercaseHeaderCells: false } },
    ...headings,
  ],
});

/** Blank lines at most one at a time, no trailing spaces, no blank start or end. */
function tidyText(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The plain-text part of an HTML email: links kept as "text [url]", images left out. */
export function textFromHtml(html: string): string {
  return tidyText(htmlToText(html));
}

// Marks an output's place while the HTML is converted once (private-use characters, refused in the source).
const MARKS = /\uE000(\d+)\uE001/g;

/**
 * The text part of an HTML template as a plain template: the HTML with every output replaced by a
 * mark is converted to text once, then each mark becomes its output again. Null when the HTML has
 * tags (conditions, loops: what they produce depends on the values), whitespace control, or marks.
 */
function textTemplateOf(source: string, html: CompiledPart): CompiledPart | null {
  if (/[\uE000\uE001]/.test(source) || /\{\{-|-\}\}/.test(source)) return null;
  const outputs: string[] = [];
  let marked = '';
  for (const t of html.templates) {
    if (t instanceof Tag) return null;
    if (t instanceof Output) {
      const text = t.token.getText();
      let i = outputs.indexOf(text);
      if (i < 0) i = outputs.push(text) - 1;
      marked += `\uE000${i}\uE001`;
    } else {
      marked += t.token.getText();
    }
  }
  const pieces = tidyText(htmlToText(marked)).split(MARKS);
  let plain = '';
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k]!;
    if (k % 2 === 1) {
      plain += outputs[Number(piece)]!;
    } else if (/[\uE000\uE001]/.test(piece) || /endraw/.test(piece)) {
      return null;
    } else {
      // Text that reads like Liquid (an entity-encoded "{{" in the HTML) stays text.
      plain += /\{\{|\{%/.test(piece) ? `{% raw %}${piece}{% endraw %}` : piece;
    }
  }
  try {
    return compilePart(plain, 'plain');
  } catch {
    return null;
  }
}

/** The TEMPLATE_INVALID error of a LiquidJS failure in `part`; other errors pass through unchanged. */
export function templateError(part: TemplatePartName, err: unknown): unknown {
  const problem = templateProblem(err);
  if (!problem) return err;
  const where = problem.line === null ? '' : ` (line ${problem.line})`;
  return new AppError('TEMPLATE_INVALID', `The ${part} has an error${where}: ${problem.message}`, {
    part,
    line: problem.line,
    message: problem.message,
  });
}

function compileOne(part: TemplatePartName, source: string, mode: 'html' | 'plain'): CompiledPart {
  try {
    return compilePart(source, mode);
  } catch (err) {
    throw templateError(part, err);
  }
}

function renderOne(part: TemplatePartName, compiled: CompiledPart, values: MergeValues): string {
  try {
    return renderPart(compiled, values);
  } catch (err) {
    throw templateError(part, err);
  }
}

function fieldsOf(parts: readonly (CompiledPart | null)[]): string[] {
  return [...new Set(parts.flatMap((p) => (p ? fieldsOfPart(p) : [])))].sort();
}

/**
 * Parses an email template once. The HTML escapes merged values; subject and text part do not (they
 * are not HTML). An empty or absent `text` means "generate it from the HTML".
 */
export function compileEmail(content: {
  subject: string;
  html: string;
  text?: string | null;
}): CompiledEmail {
  const subject = compileOne('subject', content.subject, 'plain');
  const html = compileOne('html', content.html, 'html');
  const text = content.text ? compileOne('text', content.text, 'plain') : null;
  const generatedText = text ? null : textTemplateOf(content.html, html);
  return { subject, html, text, generatedText, fields: fieldsOf([subject, html, text]) };
}

/**
 * Renders a compiled email for one recipient. The subject becomes one line (line breaks a merged
 * value brings in are spaces); the text part is the template's or, without one, the rendered HTML
 * as text.
 */
export function renderEmail(compiled: CompiledEmail, values: MergeValues): RenderedEmail {
  const subject = renderOne('subject', compiled.subject, values)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  const html = renderOne('html', compiled.html, values);
  const text = compiled.text
    ? renderOne('text', compiled.text, values)
    : compiled.generatedText
      ? renderOne('html', compiled.generatedText, values)
      : textFromHtml(html);
  return { subject, html, text };
}

/** Parses an SMS template once (plain text: nothing is escaped). */
export function compileSms(text: string): CompiledSms {
  const part = compileOne('text', text, 'plain');
  return { text: part, fields: fieldsOf([part]) };
}

/** Renders a compiled SMS for one recipient, with its encoding and segment count. */
export function renderSms(compiled: CompiledSms, values: MergeValues): RenderedSms {
  const text = renderOne('text', compiled.text, values);
  return { text, info: smsInfo(text) };
}
