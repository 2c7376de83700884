// The link rewriter and tracking tokens without a database: every tracked href decodes back to the
// exact target (entities decoded, query strings kept), links that are not http(s) and HTML around
// them are left byte for byte, tokens of another purpose or secret are refused.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { SecretBox } from '../../security/secret-box.ts';
import { unsubscribeUrl } from '../deliverability/unsubscribe-links.ts';
import { escapeAttribute, rewriteLinks, trackableUrl } from './link-rewriter.ts';
import { locationOf } from './tracking.routes.ts';
import {
  MAX_TOKEN_LENGTH,
  openUrl,
  readClickToken,
  readOpenToken,
  trackEmailHtml,
} from './tracking-links.ts';

const box = new SecretBox('link-rewriter-test');
const now = new Date('2026-11-30T12:00:00Z');
const PUBLIC = 'https://herald.example';
const message = { accountId: 7, messageId: 42 };

/** The href of every `<a>` and the src of every `<img>`, as a browser reads them (entities decoded). */
function linksOf(html: string): { hrefs: string[]; imgs: string[] } {
  const hrefs: string[] = [];
  const imgs: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (name === 'a' && attributes.href !== undefined) hrefs.push(attributes.href);
      if (name === 'img' && attributes.src !== undefined) imgs.push(attributes.src);
    },
  });
  parser.write(html);
  parser.end();
  return { hrefs, imgs };
}

const tokenOf = (url: string, kind: 'o' | 'c') => {
  const prefix = `${PUBLIC}/t/${kind}/`;
  expect(url.startsWith(prefix), url).toBe(true);
  return url.slice(prefix.length);
};

const track = (html: string) =>
  trackEmailHtml(box, PUBLIC, { ...message, unsubscribeUrl: `${PUBLIC}/u/unsub-token` }, html, now);

describe('link rewriter', () => {
  it('rewrites http(s) links and adds the pixel before </body>; leaves everything else alone', () => {
    const html = `<html><body>
<a href="https://shop.example/a?x=1&amp;y=2#top">A</a>
<a href='http://shop.example/b'>B</a>
<a class=btn href=https://shop.example/c>C</a>
<A HREF="HTTPS://Shop.Example/D">D</A>
<a href="mailto:info@shop.example">mail</a>
<a href="tel:+4930123">call</a>
<a href="#section">jump</a>
<a href="/relative">rel</a>
<a href="https://shop.example/private" data-no-track>private</a>
<a href="${PUBLIC}/u/unsub-token">Unsubscribe</a>
<!-- <a href="https://shop.example/commented">x</a> -->
<a name="anchor">no href</a>
</body></html>`;
    const out = track(html);
    const { hrefs, imgs } = linksOf(out);
    const targets = hrefs.map((h) =>
      h.startsWith(`${PUBLIC}/t/c/`) ? readClickToken(box, tokenOf(h, 'c'), now) : h,
    );
    expect(targets).toEqual([
      { ok: true, target: { ...message, url: 'https://shop.example/a?x=1&y=2#top' } },
      { ok: true, target: { ...message, url: 'http://shop.example/b' } },
      { ok: true, target: { ...message, url: 'https://shop.example/c' } },
      { ok: true, target: { ...message, url: 'HTTPS://Shop.Example/D' } },
      'mailto:info@shop.example',
      'tel:+4930123',
      '#section',
      '/relative',
      'https://shop.example/private',
      `${PUBLIC}/u/unsub-token`,
    ]);
    expect(out).toContain('<!-- <a href="https://shop.example/commented">x</a> -->');
    expect(out).toContain('<a class=btn href="');
    expect(imgs).toHaveLength(1);
    expect(readOpenToken(box, tokenOf(imgs[0]!, 'o'), now)).toEqual({ ok: true, target: message });
    expect(out).toMatch(
      /<img src="https:\/\/herald\.example\/t\/o\/[\w-]+\.[\w-]+" width="1" height="1" alt="" style="display:none"><\/body><\/html>$/,
    );
  });

  it('redirects to the signed URL as is, or to its ASCII form when a header cannot carry it', () => {
    expect(locationOf('https://shop.example/a?b=1&c=%20#x')).toBe('https://shop.example/a?b=1&c=%20#x');
    expect(locationOf('https://bücher.example/straße?q=ä b')).toBe(
      'https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4%20b',
    );
  });

  it('puts the pixel at the end when there is no </body>', () => {
    const out = track('<p>Hi</p>');
    expect(out.startsWith('<p>Hi</p><img src="https://herald.example/t/o/')).toBe(true);
  });

  it('refuses tokens of the other kind, of unsubscribe links, of another secret, altered or expired', () => {
    const pixel = tokenOf(openUrl(box, PUBLIC, message, now), 'o');
    const { hrefs } = linksOf(track('<a href="https://shop.example/">x</a>'));
    const click = tokenOf(hrefs[0]!, 'c');
    const unsub = unsubscribeUrl(
      box,
      PUBLIC,
      { accountId: 7, contactId: 1, channel: 'email', messageId: 42 },
      now,
    ).split('/u/')[1]!;
    expect(readOpenToken(box, click, now)).toEqual({ ok: false, refusal: 'forged' });
    expect(readClickToken(box, pixel, now)).toEqual({ ok: false, refusal: 'forged' });
    expect(readOpenToken(box, unsub, now)).toEqual({ ok: false, refusal: 'forged' });
    expect(readClickToken(box, unsub, now)).toEqual({ ok: false, refusal: 'forged' });
    expect(readClickToken(new SecretBox('other'), click, now)).toEqual({ ok: false, refusal: 'forged' });
    const [body, mac] = click.split('.') as [string, string];
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}.${mac}`;
    expect(readClickToken(box, flipped, now).ok).toBe(false);
    expect(readClickToken(box, 'not-a-token', now)).toEqual({ ok: false, refusal: 'malformed' });
    const later = new Date(now.getTime() + 731 * 86_400_000);
    expect(readClickToken(box, click, later)).toEqual({ ok: false, refusal: 'expired' });
  });

  it('leaves links alone that are too long for a token; tracks long ones that fit', () => {
    const fits = `https://shop.example/${'x'.repeat(1900)}`;
    const tooLong = `https://shop.example/${'x'.repeat(2100)}`;
    const wide = `https://shop.example/${'ü'.repeat(1900)}`;
    const { hrefs } = linksOf(
      track(`<a href="${fits}">a</a><a href="${tooLong}">b</a><a href="${wide}">c</a>`),
    );
    const token = tokenOf(hrefs[0]!, 'c');
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(readClickToken(box, token, now)).toEqual({ ok: true, target: { ...message, url: fits } });
    expect(hrefs.slice(1)).toEqual([tooLong, wide]);
  });

  it('property: any http(s) href round-trips through its token; other hrefs and the HTML stay', () => {
    const href = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .tuple(
          fc.constantFrom('http', 'https', 'HTTP'),
          fc.domain(),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
        )
        .map(([scheme, host, rest]) => `${scheme}://${host}/${rest}`),
    );
    fc.assert(
      fc.property(href, fc.constantFrom('"', "'"), (url, quote) => {
        const target = trackableUrl(url);
        const attr =
          quote === '"' ? `"${escapeAttribute(url)}"` : `'${escapeAttribute(url).replace(/'/g, '&#39;')}'`;
        const html = `<p>x</p><a href=${attr} title="t">link</a><p>y</p>`;
        const out = track(html);
        const { hrefs } = linksOf(out);
        expect(hrefs).toHaveLength(1);
        if (target === null) {
          expect(hrefs[0]).toBe(url);
          return;
        }
        const read = readClickToken(box, tokenOf(hrefs[0]!, 'c'), now);
        expect(read).toEqual({ ok: true, target: { ...message, url: target } });
        expect(out.startsWith('<p>x</p><a href="')).toBe(true);
        expect(out).toContain('" title="t">link</a><p>y</p><img src=');
      }),
      { numRuns: 300 },
    );

    const other = fc.oneof(
      fc.emailAddress().map((e) => `mailto:${e}`),
      fc.stringMatching(/^\+[0-9]{6,12}$/).map((p) => `tel:${p}`),
      fc.string({ maxLength: 30 }).map((s) => `#${s}`),
      fc.string({ maxLength: 30 }).map((s) => `/${s}`),
      fc.constantFrom('javascript:void(0)', 'ftp://files.example/x', 'data:text/plain,hi', ''),
    );
    fc.assert(
      fc.property(other, fc.string({ maxLength: 60 }), (url, text) => {
        const html = `<div>${escapeAttribute(text)}<a href="${escapeAttribute(url)}">${escapeAttribute(text)}</a></div>`;
        expect(rewriteLinks(html, { track: () => 'https://tracked.example/', pixelUrl: null })).toBe(html);
      }),
      { numRuns: 300 },
    );
  });

  it('property: with nothing to track, arbitrary markup comes back byte for byte', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (html) => {
        expect(rewriteLinks(html, { track: () => null, pixelUrl: null })).toBe(html);
      }),
      { numRuns: 500 },
    );
  });
});
