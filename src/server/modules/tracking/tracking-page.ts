// The page a browser shows for a tracking link that is not valid (forged, altered or expired), in
// English or German by Accept-Language. Plain HTML, inline styles, no script (the CSP allows none).
import type { PageLanguage } from '../deliverability/unsubscribe-page.ts';

const TEXTS = {
  en: {
    title: 'This link is not valid',
    body: 'This link is invalid or has expired. Please use the link in the original message, or contact the sender.',
  },
  de: {
    title: 'Dieser Link ist ungültig',
    body: 'Dieser Link ist ungültig oder abgelaufen. Bitte nutzen Sie den Link in der ursprünglichen Nachricht oder wenden Sie sich an den Absender.',
  },
} as const;

/** The 400 page of an invalid tracking link (code TRACKING_LINK_INVALID), in `lang`. */
export function invalidTrackingPage(lang: PageLanguage): string {
  const t = TEXTS[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.title}</title>
</head>
<body style="font-family: system-ui, sans-serif; background: #f5f6f8; margin: 0; padding: 48px 16px; color: #1a1b1e">
<main style="max-width: 440px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 32px; box-shadow: 0 1px 3px rgba(0,0,0,.1)">
<h1 style="font-size: 22px; margin: 0 0 16px">${t.title}</h1>
<p>${t.body}</p>
<p style="color: #868e96; font-size: 12px" data-code="TRACKING_LINK_INVALID">TRACKING_LINK_INVALID</p>
</main>
</body>
</html>
`;
}
