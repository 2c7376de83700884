// SMS length and cost: GSM-7 when every character is in the GSM 03.38 alphabet (extension characters
// count twice), else UCS-2 (one non-GSM character switches the whole text). Segments: 160 / 153
// characters (GSM-7), 70 / 67 UTF-16 units (UCS-2).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the encoding counts them (GSM-7 extension characters twice; UCS-2 UTF-16 units). */
  characters: number;
  segments: number;
}

export function smsInfo(text: string): SmsInfo {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return { encoding: 'GSM-7', characters: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const units = text.length;
  return { encoding: 'UCS-2', characters: units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
