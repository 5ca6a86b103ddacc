import {
  chineseDate,
  chineseDateTime,
  copyBand,
  copyMetadataEntries,
  copyMetadataIn,
  copyValidUntil,
  isCopyExpired,
  newCopyId,
  COPY_ID_PATTERN,
  type CopyMetadata,
} from '../../../src/modules/copies/index.js';

const METADATA: CopyMetadata = {
  copyId: 'JZ0123456789ABCDEFGHJK',
  originalIdentifier: '1.2.156.3005.2.11100000000013338W001.91350100M000100Y43.00000001.001.Q',
  originalSha256: 'ab'.repeat(32),
  office: { name: '福州市鼓楼区行政服务中心', creditCode: '11350102MB0000000X' },
  serviceItem: '新生入学登记',
  purpose: '办理入学登记',
  madeAt: '2026-12-04T16:26:00.000Z',
  validUntil: '2027-01-03',
};

/** A file whose document information holds `entries`, as the composer writes them (UTF-16BE hex text strings). */
function fileWith(entries: readonly (readonly [string, string])[]): Uint8Array {
  const text = entries.map(([key, value]) => `/${key} <FEFF${Buffer.from(value, 'utf16le').swap16().toString('hex')}>`).join('\n');
  return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj\n<< ${text} >>\nendobj\n%%EOF\n`, 'latin1'));
}

describe('the band', () => {
  test('states in the 2016 guide’s words who provided it to whom, for what, until when; then the details and a short watermark', () => {
    const band = copyBand(METADATA);
    expect(band.statement).toBe('此件由持证人提供给福州市鼓楼区行政服务中心，仅供办理新生入学登记使用，有效期至2027年1月3日');
    expect(band.details).toEqual([
      '用证事由：办理入学登记',
      '加注时间：2026年12月5日 00:26（北京时间）\u3000加注件编号：JZ0123456789ABCDEFGHJK',
      '原件标识：1.2.156.3005.2.11100000000013338W001.91350100M000100Y43.00000001.001.Q',
      '本加注件由电子证照库平台签章，不是原件；过期或经改动即失效。扫描二维码核验。',
    ]);
    expect(band.watermark).toBe('加注件\u3000仅供办理新生入学登记使用\u3000有效期至2027年1月3日');
  });

  test('dates read in China time, without leading zeros', () => {
    expect(chineseDate('2027-01-03')).toBe('2027年1月3日');
    expect(chineseDateTime('2026-12-31T16:00:00Z')).toBe('2027年1月1日 00:00');
  });
});

describe('the metadata inside the signed bytes', () => {
  test('round-trips through the document information entries; an office of no department keeps a null credit code', () => {
    expect(copyMetadataIn(fileWith(copyMetadataEntries(METADATA)))).toEqual(METADATA);
    const desk = { ...METADATA, office: { name: '未登记部门的办事窗口', creditCode: null } };
    expect(copyMetadataIn(fileWith(copyMetadataEntries(desk)))).toEqual(desk);
  });

  test.each([
    ['a member missing', (entries: [string, string][]) => entries.filter(([key]) => key !== 'CopyValidUntil')],
    ['a malformed copy id', (entries: [string, string][]) => entries.map(([key, value]): [string, string] => [key, key === 'CopyId' ? 'JZ-short' : value])],
    ['a hash that is not SHA-256 hex', (entries: [string, string][]) => entries.map(([key, value]): [string, string] => [key, key === 'CopyOfSha256' ? 'xyz' : value])],
    ['a validity that is not a date', (entries: [string, string][]) => entries.map(([key, value]): [string, string] => [key, key === 'CopyValidUntil' ? '明年' : value])],
  ])('%s: no metadata', (_name, change) => {
    expect(copyMetadataIn(fileWith(change(copyMetadataEntries(METADATA).map(([k, v]) => [k, v]))))).toBeNull();
  });
});

describe('validity', () => {
  const now = new Date('2026-12-04T16:30:00Z'); // 2026-12-05 in China

  test('days count from today in China; a date is taken as given; the default is 30 days', () => {
    expect(copyValidUntil(now, { validDays: 1 })).toBe('2026-12-06');
    expect(copyValidUntil(now, {})).toBe('2027-01-04');
    expect(copyValidUntil(now, { validUntil: '2026-12-05' })).toBe('2026-12-05');
    expect(copyValidUntil(now, { validDays: 366 })).toBe('2027-12-06');
  });

  test.each([
    [{ validDays: 0 }],
    [{ validDays: 367 }],
    [{ validDays: 1.5 }],
    [{ validUntil: '2026-12-04' }],
    [{ validUntil: '2027-12-07' }],
    [{ validUntil: '2027-02-30' }],
    [{ validUntil: '20270101' }],
    [{ validDays: 3, validUntil: '2026-12-10' }],
  ])('%j is ERR_COPY_VALIDITY_INVALID', (validity) => {
    expect(() => copyValidUntil(now, validity)).toThrow(expect.objectContaining({ code: 'ERR_COPY_VALIDITY_INVALID' }));
  });

  test('a copy is valid through its last day in China and expired the next', () => {
    expect(isCopyExpired('2026-12-05', new Date('2026-12-05T15:59:59Z'))).toBe(false);
    expect(isCopyExpired('2026-12-05', new Date('2026-12-05T16:00:00Z'))).toBe(true);
  });
});

describe('ids', () => {
  test('copy ids are JZ and 20 characters of Crockford base32, never repeated', () => {
    const ids = new Set(Array.from({ length: 1000 }, newCopyId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(COPY_ID_PATTERN);
  });
});
