import type { Language } from '../../../shared/auth.ts';
import type { Role } from '../../../shared/rights.ts';

const ROLE_LABELS: Record<Language, Record<Role, string>> = {
  en: {
    owner: 'Owner',
    admin: 'Admin',
    marketer: 'Marketer',
    analyst: 'Analyst',
    observer: 'Observer',
    viewer: 'Viewer',
  },
  de: {
    owner: 'Inhaber',
    admin: 'Administrator',
    marketer: 'Marketer',
    analyst: 'Analyst',
    observer: 'Beobachter',
    viewer: 'Betrachter',
  },
};

const TEXTS = {
  en: {
    subject: (account: string) => `[Herald] Invitation to ${account}`,
    intro: (inviter: string, account: string, role: string) =>
      `${inviter} invites you to work in the Herald account "${account}" as ${role}.`,
    someone: 'Someone',
    action: 'Accept or decline the invitation',
    expires: (date: string) => `The link is valid once, until ${date} (UTC).`,
    ignore: 'If you did not expect this invitation, ignore this email: nothing happens without you.',
  },
  de: {
    subject: (account: string) => `[Herald] Einladung zu ${account}`,
    intro: (inviter: string, account: string, role: string) =>
      `${inviter} lädt Sie ein, im Herald-Konto „${account}“ als ${role} zu arbeiten.`,
    someone: 'Jemand',
    action: 'Einladung annehmen oder ablehnen',
    expires: (date: string) => `Der Link gilt einmal, bis ${date} (UTC).`,
    ignore:
      'Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail: Ohne Sie geschieht nichts.',
  },
} as const;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The invitation email in the chosen language. The link carries the token in the fragment
 * (`#token=`), so it never reaches server logs or a Referer header.
 */
export function renderInvitationEmail(input: {
  language: Language;
  accountName: string;
  inviterName: string | null;
  role: Role;
  expiresAt: Date;
  link: string;
}): { subject: string; text: string; html: string } {
  const t = TEXTS[input.language];
  const role = ROLE_LABELS[input.language][input.role];
  const date = input.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
  const intro = t.intro(input.inviterName ?? t.someone, input.accountName, role);
  const subject = t.subject(input.accountName);
  const text = [intro, '', `${t.action}: ${input.link}`, '', t.expires(date), '', '--', t.ignore].join('\n');
  const html = `<!doctype html>
<html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; color: #1a1b1e; max-width: 640px">
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(input.link)}">${escapeHtml(t.action)}</a></p>
<p style="color: #555">${escapeHtml(t.expires(date))}</p>
<hr><p style="color: #777; font-size: 12px">${escapeHtml(t.ignore)}</p>
</body></html>`;
  return { subject, text, html };
}
