import { join } from 'node:path';
import { bundleFigures } from '../../web/scripts/bundle-report.js';

const KIB = 1024;

describe('the built console’s JavaScript, gzipped (issue 17’s bounds)', () => {
  const figures = bundleFigures(join(__dirname, '../../dist/console'));

  test('the sign-in page loads at most 300 KiB', () => {
    expect(figures.signIn).toBeLessThanOrEqual(300 * KIB);
  });

  test('the desks are split by route: each loads at most 700 KiB, and the clerk’s and the issuer’s pages are their own chunks', () => {
    expect(Object.keys(figures.screens)).toEqual(
      expect.arrayContaining(['src/clerk/clerk-desk.tsx', 'src/issuer/issue-desk.tsx', 'src/issuer/batch-desk.tsx', 'src/issuer/lifecycle-desk.tsx']),
    );
    // At most: with what the screen loads later on demand (the batch desk's .xlsx reader).
    for (const [screen, size] of Object.entries(figures.screensAtMost)) expect([screen, size <= 700 * KIB]).toEqual([screen, true]);
    expect(figures.screensAtMost['src/issuer/batch-desk.tsx']).toBeGreaterThan(figures.screens['src/issuer/batch-desk.tsx'] ?? Infinity);
  });
});
