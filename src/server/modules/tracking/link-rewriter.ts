// Rewrites the links of an email's HTML for click tracking and adds the open pixel. The HTML is read
// with htmlparser2's tokenizer (the same reader html-to-text uses), not a regex: comments, scripts,
// styles, quotes of every kind, unquoted values and entities in hrefs are read as a browser reads
// them. Only the value of each rewritten `href` changes and the pixel is inserted; every other byte
// of the HTML stays as it was.
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** Links longer than this stay as they are (a token carries the URL; browsers choke on huge URLs). */
export const MAX_TRACKED_URL_LENGTH = 2048;

/** How the links of one message are rewritten. */
export interface RewriteOptions {
  /**
   * The tracked href for a link's target (an absolute http(s) URL, entities decoded), or null to
   * leave that link as it is (e.g. the unsubscribe link).
   */
  track: (url: string) => string | null;
  /** The open pixel's URL, inserted before `</body>` (else at the end); null: no pixel. */
  pixelUrl: string | null;
}

/** Escapes a value for a double-quoted attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The target a browser would open for an href, when Herald tracks it: an absolute http(s) URL (the
 * value trimmed of surrounding whitespace, tabs and newlines removed as the URL parser does) that
 * parses and is at most MAX_TRACKED_URL_LENGTH long. `mailto:`, `tel:`, `#…`, relative and other
 * schemes are null (never tracked).
 */
export function trackableUrl(href: string): string | null {
  // eslint-disable-next-line no-control-regex
  const url = href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  if (!/^https?:\/\/./i.test(url) || url.length > MAX_TRACKED_URL_LENGTH) return null;
  try {
    new URL(url);
  } catch {
    return null;
  }
  return url;
}

/** The tag being read: its name, its attributes so far, and the attribute being read. */
interface OpenTag {
  name: string;
  attributes: { name: string; value: string; start: number; end: number }[];
  current: { name: string; nameEnd: number; value: string } | null;
}

/**
 * `html` with the href of every `<a>` whose target is trackable (trackableUrl) and has no
 * `data-no-track` attribute replaced by `options.track(target)` (when not null), and the pixel
 * `<img src=… width="1" height="1" alt="" style="display:none">` before the last `</body>`, or at
 * the end when there is none. Links inside comments, scripts and styles are not links and stay.
 */
export function rewriteLinks(html: string, options: RewriteOptions): string {
  const edits: { start: number; end: number; text: string }[] = [];
  let tag: OpenTag | null = null;
  let bodyClose = -1;

  const endTag = () => {
    if (tag?.name === 'a' && !tag.attributes.some((a) => a.name === 'data-no-track')) {
      // A repeated attribute is ignored by browsers: the first href counts.
      const href = tag.attributes.find((a) => a.name === 'href');
      const target = href ? trackableUrl(href.value) : null;
      const tracked = target === null ? null : options.track(target);
      if (href && tracked !== null) {
        edits.push({ start: href.start, end: href.end, text: `"${escapeAttribute(tracked)}"` });
      }
    }
    tag = null;
  };

  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      tag = { name: html.slice(start, end).toLowerCase(), attributes: [], current: null };
    },
    onattribname(start, end) {
      if (tag) tag.current = { name: html.slice(start, end).toLowerCase(), nameEnd: end, value: '' };
    },
    onattribdata(start, end) {
      if (tag?.current) tag.current.value += html.slice(start, end);
    },
    onattribentity(codepoint) {
      if (tag?.current) tag.current.value += String.fromCodePoint(codepoint);
    },
    onattribend(_quote, end) {
      const current = tag?.current;
      if (!tag || !current) return;
      // The value (with its quotes, if any) starts at the first character after `=` and spaces.
      const valueStart = html.slice(current.nameEnd, end).search(/[^\s=]/);
      tag.attributes.push({
        name: current.name,
        value: current.value,
        start: valueStart < 0 ? end : current.nameEnd + valueStart,
        end,
      });
      tag.current = null;
    },
    onopentagend: endTag,
    onselfclosingtag: endTag,
    onclosetag(start, end) {
      if (html.slice(start, end).toLowerCase() === 'body') bodyClose = html.lastIndexOf('<', start);
    },
    oncdata: () => undefined,
    oncomment: () => undefined,
    ondeclaration: () => undefined,
    onend: () => undefined,
    onprocessinginstruction: () => undefined,
    ontext: () => undefined,
    ontextentity: () => undefined,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(html);
  tokenizer.end();

  // An attribute without a value (`<a href>`) has start === end and no trackable target: never edited.
  if (options.pixelUrl !== null) {
    const pixel = `<img src="${escapeAttribute(options.pixelUrl)}" width="1" height="1" alt="" style="display:none">`;
    const at = bodyClose >= 0 ? bodyClose : html.length;
    edits.push({ start: at, end: at, text: pixel });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const edit of edits) {
    out += html.slice(from, edit.start) + edit.text;
    from = edit.end;
  }
  return out + html.slice(from);
}
