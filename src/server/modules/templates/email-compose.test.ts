import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { compileEmail, compileSms, renderEmail, renderSms } from './email-compose.ts';

function invalid(work: () => unknown): { message: string; details: unknown } {
  try {
    work();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('TEMPLATE_INVALID');
    return { message: (err as AppError).message, details: (err as AppError).details };
  }
  throw new Error('expected TEMPLATE_INVALID');
}

describe('compileEmail / renderEmail', () => {
  it('escapes merged values in the HTML, but not in subject and text part', () => {
    const c = compileEmail({
      subject: 'Hallo {{ first_name }}',
      html: '<p>Hallo {{ first_name }}</p>',
      text: 'Hallo {{ first_name }}',
    });
    const out = renderEmail(c, { first_name: '<script>alert(1)</script>' });
    expect(out.html).toBe('<p>Hallo &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(out.html).not.toContain('<script>');
    expect(out.subject).toBe('Hallo <script>alert(1)</script>');
    expect(out.text).toBe('Hallo <script>alert(1)</script>');
    expect(c.fields).toEqual(['first_name']);
  });

  it('applies the default filter to absent and empty values', () => {
    const c = compileEmail({
      subject: 'Hi',
      html: '<p>Liebe {{ first_name | default: "Kundin, Kunde" }}</p>',
    });
    expect(renderEmail(c, { first_name: 'Anna' }).html).toBe('<p>Liebe Anna</p>');
    expect(renderEmail(c, { first_name: null }).html).toBe('<p>Liebe Kundin, Kunde</p>');
    expect(renderEmail(c, { first_name: '' }).html).toBe('<p>Liebe Kundin, Kunde</p>');
    expect(renderEmail(c, {}).html).toBe('<p>Liebe Kundin, Kunde</p>');
  });

  it('generates the text part from the rendered HTML, keeping links as "text [url]"', () => {
    const c = compileEmail({
      subject: 'News',
      html:
        '<h1>Hallo {{ first_name }}</h1><p>Unser <a href="https://example.org/angebot">Angebot</a> &amp; mehr.</p>' +
        '<p><a href="{{ unsubscribe_url }}">Abmelden</a></p><img src="x.png" alt="logo">',
      text: '',
    });
    expect(c.text).toBeNull();
    expect(c.fields).toEqual(['first_name', 'unsubscribe_url']);
    const out = renderEmail(c, { first_name: 'Jörg', unsubscribe_url: 'https://herald.test/u/abc' });
    expect(out.text).toContain('Hallo Jörg');
    expect(out.text).toContain('Unser Angebot [https://example.org/angebot] & mehr.');
    expect(out.text).toContain('Abmelden [https://herald.test/u/abc]');
    expect(out.text).not.toContain('<');
    expect(out.text).not.toContain('x.png');
  });

  it('keeps the subject on one line whatever a merged value brings', () => {
    const c = compileEmail({ subject: 'Hi {{ first_name }}!', html: '<p>x</p>' });
    expect(renderEmail(c, { first_name: 'A\r\nBcc: evil@example.org' }).subject).toBe(
      'Hi A Bcc: evil@example.org!',
    );
  });

  it('formats date fields as the day they name, and leaves numbers as numbers', () => {
    const c = compileEmail({
      subject: 'x',
      html: '{{ birthday | date: "%d.%m.%Y" }} {{ score | plus: 1 }} {{ vip }}',
    });
    expect(renderEmail(c, { birthday: '2026-11-30', score: 41, vip: true }).html).toBe('30.11.2026 42 true');
  });

  it('refuses syntax errors with part, line and message', () => {
    const bad = invalid(() => compileEmail({ subject: 'ok', html: '<p>\n{% if first_name %}\nno end' }));
    expect(bad.details).toMatchObject({ part: 'html', line: 2 });
    expect((bad.details as { message: string }).message).toMatch(/not closed/);
    expect(invalid(() => compileEmail({ subject: 'Hi {{ first_name', html: 'x' })).details).toMatchObject({
      part: 'subject',
      line: 1,
    });
    expect(
      invalid(() => compileEmail({ subject: 'x', html: 'x', text: 'a\nb\n{{ x | nosuchfilter }}' })).details,
    ).toMatchObject({ part: 'text', line: 3, message: 'undefined filter: nosuchfilter' });
  });

  it('refuses includes, renders, layouts and the raw filter when compiling, never at send time', () => {
    for (const html of ['{% include "secret" %}', '{% render "/etc/passwd" %}', '{% layout "base" %}']) {
      const bad = invalid(() => compileEmail({ subject: 'x', html }));
      expect(bad.details).toMatchObject({ part: 'html', line: 1 });
      expect((bad.details as { message: string }).message).toMatch(/cannot include/);
    }
    expect(
      invalid(() => compileEmail({ subject: 'x', html: '{{ first_name | raw }}' })).details,
    ).toMatchObject({
      part: 'html',
      message: 'undefined filter: raw',
    });
  });

  it('stops a runaway template with TEMPLATE_INVALID instead of hanging or crashing', () => {
    const c = compileEmail({ subject: 'x', html: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' });
    expect(invalid(() => renderEmail(c, {})).details).toMatchObject({ part: 'html', line: 1 });
  });

  it('has no access to anything but the values it is given', () => {
    const c = compileEmail({
      subject: 'x',
      html: '[{{ constructor }}][{{ first_name.constructor }}][{{ process.env.HOME }}][{{ __proto__ }}]',
    });
    expect(renderEmail(c, { first_name: 'A' }).html).toBe('[][][][]');
  });
});

describe('compileSms / renderSms', () => {
  it('renders plain text with defaults and reports its segments', () => {
    const c = compileSms('Hallo {{ first_name | default: "Kundin, Kunde" }} & <Team>');
    expect(c.fields).toEqual(['first_name']);
    expect(renderSms(c, { first_name: 'Zoë' })).toEqual({
      text: 'Hallo Zoë & <Team>',
      info: { encoding: 'UCS-2', characters: 18, segments: 1, perSegment: 70 },
    });
    expect(renderSms(c, {}).info.encoding).toBe('GSM-7');
  });

  it('refuses an SMS syntax error as the text part', () => {
    expect(invalid(() => compileSms('Hi {% if x %}')).details).toMatchObject({ part: 'text', line: 1 });
  });
});

describe('the generated text part', () => {
  const values = [
    { first_name: 'Anna', last_name: 'Müller', plan: 'Gold & mehr', url: 'https://herald.test/u/1' },
    { first_name: '<b>Ben</b>', last_name: null, plan: '', url: 'https://herald.test/u/2?x=1&y=2' },
    { first_name: 'C  D', last_name: '{{ x }}', plan: 3, url: 'https://herald.test/u/3' },
  ];
  const templates = [
    '<h1>Hallo {{ first_name | default: "Kundin, Kunde" }}</h1><p>Ihr Tarif: <b>{{ plan }}</b>.</p>',
    '<table><tr><th>Name</th><td>{{ first_name }} {{ last_name }}</td></tr></table><ul><li>{{ plan }}</li><li>x</li></ul>',
    '<p><a href="{{ url }}">Abmelden</a> · <a href="{{ url }}">{{ url }}</a> · <a href="https://example.org/?n={{ first_name | url_encode }}">Link</a></p>',
    '<p>Literal &#123;&#123; not a field &#125;&#125; and {{ first_name | upcase }}</p><img src="{{ url }}" alt="x">',
    '<div>{% if plan != "" %}Plan {{ plan }}{% else %}Kein Plan{% endif %}</div>',
  ];

  it('reads the same whether made once from the template or converted per recipient', () => {
    for (const html of templates) {
      const c = compileEmail({ subject: 's', html });
      for (const v of values) {
        const out = renderEmail(c, v);
        const converted = renderEmail({ ...c, generatedText: null }, v);
        const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
        expect(squash(out.text), `${html} with ${JSON.stringify(v)}`).toBe(squash(converted.text));
      }
    }
  });

  it('is made once for templates with outputs only, and per recipient for templates with tags', () => {
    expect(compileEmail({ subject: 's', html: templates[0]! }).generatedText).not.toBeNull();
    expect(compileEmail({ subject: 's', html: templates[4]! }).generatedText).toBeNull();
    expect(compileEmail({ subject: 's', html: '<p>{{- first_name -}}</p>' }).generatedText).toBeNull();
  });
});
