import type { CopyMetadata } from './metadata.js';

/** `2027年1月3日` for a China date `2027-01-03`. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** `2026年12月4日 10:05` in China time for an instant. */
export function chineseDateTime(instant: string): string {
  const china = new Date(Date.parse(instant) + 8 * 3_600_000).toISOString();
  return `${chineseDate(china.slice(0, 10))} ${china.slice(11, 16)}`;
}

/**
 * What an annotated copy says across its page, in the State Council's 2016
 * wording (此件由××提供，仅供办理××使用，有效期至××), made explicit: the
 * holder provided it, to this office, for this service item, until this day.
 * The page already shows the holder's name, so the band does not repeat it.
 */
export interface CopyBand {
  /** The headline, in full: who gave it to whom, for what, until when. */
  readonly statement: string;
  /** Details under it: purpose, when it was made, its own number, the original's identifier, how to check it. */
  readonly details: readonly string[];
  /** Short words set large and light across the license itself, so a cropped page still says it is a copy. */
  readonly watermark: string;
}

/** U+3000, the full-width space Chinese text is spaced with. */
const IDEOGRAPHIC_SPACE = '\u3000';

export function copyBand(metadata: CopyMetadata): CopyBand {
  const until = chineseDate(metadata.validUntil);
  return {
    statement: `此件由持证人提供给${metadata.office.name}，仅供办理${metadata.serviceItem}使用，有效期至${until}`,
    details: [
      `用证事由：${metadata.purpose}`,
      `加注时间：${chineseDateTime(metadata.madeAt)}（北京时间）${IDEOGRAPHIC_SPACE}加注件编号：${metadata.copyId}`,
      `原件标识：${metadata.originalIdentifier}`,
      '本加注件由电子证照库平台签章，不是原件；过期或经改动即失效。扫描二维码核验。',
    ],
    watermark: `加注件${IDEOGRAPHIC_SPACE}仅供办理${metadata.serviceItem}使用${IDEOGRAPHIC_SPACE}有效期至${until}`,
  };
}
