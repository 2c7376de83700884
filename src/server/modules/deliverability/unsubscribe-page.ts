// The small pages behind unsubscribe links, in English or German: a confirmation with a button (a
// GET changes nothing, since link scanners fetch links), the result, and the refusal of a bad link.
// Plain HTML and a form: no script (the CSP allows none inline), inline styles only.

export type PageLanguage = 'en' | 'de';

/** The reader's language from Accept-Language: German when it prefers German over English, else English. */
export function pageLanguage(acceptLanguage: string | undefined): PageLanguage {
  let best: { lang: PageLanguage; q: number } = { lang: 'en', q: -1 };
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const lang = tag?.startsWith('de') ? 'de' : tag?.startsWith('en') ? 'en' : null;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

const TEXTS = {
  en: {
    confirmTitle: 'Unsubscribe',
    confirmEmail: (who: string) => `Do you want to stop receiving these emails at ${who}?`,
    confirmSms: (who: string) => `Do you want to stop receiving these text messages at ${who}?`,
    yourAddress: 'your address',
    button: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneEmail: 'You will not receive these emails any more.',
    doneSms: 'You will not receive these text messages any more.',
    invalidTitle: 'This link does not work',
    invalid: 'This unsubscribe link is invalid or has expired. Please use the link in a recent message.',
  },
  de: {
    confirmTitle: 'Abmelden',
    confirmEmail: (who: string) => `Möchten Sie diese E-Mails an ${who} nicht mehr erhalten?`,
    confirmSms: (who: string) => `Möchten Sie diese SMS an ${who} nicht mehr erhalten?`,
    yourAddress: 'Ihre Adresse',
    button: 'Abmelden',
    doneTitle: 'Sie sind abgemeldet',
    doneEmail: 'Sie erhalten diese E-Mails nicht mehr.',
    doneSms: 'Sie erhalten diese SMS nicht mehr.',
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalid:
      'Dieser Abmeldelink ist ungültig oder abgelaufen. Bitte nutzen Sie den Link in einer neueren Nachricht.',
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(lang: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
</head>
<body style="font-family: system-ui, sans-serif; background: #f5f6f8; margin: 0; padding: 48px 16px; color: #1a1b1e">
<main style="max-width: 440px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 32px; box-shadow: 0 1px 3px rgba(0,0,0,.1)">
<h1 style="font-size: 22px; margin: 0 0 16px">${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The confirmation a GET shows: the masked address and a button that POSTs to the same link. */
export function confirmPage(
  lang: PageLanguage,
  channel: 'email' | 'sms',
  masked: string | null,
  action: string,
): string {
  const t = TEXTS[lang];
  const who = escapeHtml(masked ?? t.yourAddress);
  const question = channel === 'email' ? t.confirmEmail(who) : t.confirmSms(who);
  return page(
    lang,
    t.confirmTitle,
    `<p data-testid="unsubscribe-question">${question}</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" style="font-size: 16px; padding: 10px 20px; border: 0; border-radius: 6px; background: #1c7ed6; color: #fff; cursor: pointer">${escapeHtml(t.button)}</button>
</form>`,
  );
}

/** The answer of a POST: unsubscribed (also when they already were). */
export function donePage(lang: PageLanguage, channel: 'email' | 'sms'): string {
  const t = TEXTS[lang];
  return page(lang, t.doneTitle, `<p>${escapeHtml(channel === 'email' ? t.doneEmail : t.doneSms)}</p>`);
}

/** A forged, altered or expired link (status 400, code UNSUBSCRIBE_LINK_INVALID). */
export function invalidPage(lang: PageLanguage): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.invalidTitle,
    `<p>${escapeHtml(t.invalid)}</p>
<p style="color: #868e96; font-size: 12px" data-code="UNSUBSCRIBE_LINK_INVALID">UNSUBSCRIBE_LINK_INVALID</p>`,
  );
}
