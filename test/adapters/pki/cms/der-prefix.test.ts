import { derPrefix } from '../../../support/signature-surgery.js';

describe('reading the CMS out of zero-padded /Contents (test support)', () => {
  test("cuts by the element's own length, so a last byte of 0x00 stays (regression: stripping zeros broke 1 signature in 256)", () => {
    const sequenceEndingInZero = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]);
    expect(derPrefix(Buffer.concat([sequenceEndingInZero, Buffer.alloc(8)]))).toEqual(sequenceEndingInZero);
  });
});
