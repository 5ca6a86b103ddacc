import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SEAL_IMAGE_BYTES, SealImageFolder } from '../../../src/adapters/pdf/seal-image-folder.js';
import { discPng, rechunk, SEAL_BLUE, solidPng } from '../../support/rendering.js';

const BLUE = SEAL_BLUE;

describe('the seals folder (a department’s sealImage)', () => {
  let dir: string;
  let seals: string;
  let folder: SealImageFolder;
  const unusable = (why: RegExp) => ({ code: 'ERR_SEAL_IMAGE_UNUSABLE', message: expect.stringMatching(why) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-seals-'));
    seals = join(dir, 'certs', 'seals');
    mkdirSync(join(seals, 'fuzhou'), { recursive: true });
    folder = new SealImageFolder(seals);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('gives the bytes of a PNG in the folder or below it', async () => {
    const png = discPng(64, 64, BLUE);
    writeFileSync(join(seals, 'fuzhou', 'scjgj.png'), png);
    await expect(folder.load('fuzhou/scjgj.png')).resolves.toEqual(new Uint8Array(png));
  });

  test('a replaced file is read again; an unchanged one is not', async () => {
    const file = join(seals, 'seal.png');
    writeFileSync(file, solidPng(8, 8, BLUE));
    const first = await folder.load('seal.png');
    expect(await folder.load('seal.png')).toBe(first);
    const replacement = discPng(16, 16, BLUE);
    writeFileSync(file, replacement);
    utimesSync(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    await expect(folder.load('seal.png')).resolves.toEqual(new Uint8Array(replacement));
  });

  test('a missing file, a folder, or a path out of the folder is refused', async () => {
    await expect(folder.load('absent.png')).rejects.toMatchObject(unusable(/no such file/));
    await expect(new SealImageFolder(join(dir, 'no-seals')).load('absent.png')).rejects.toMatchObject(unusable(/no such file/));
    mkdirSync(join(seals, 'dir.png'));
    await expect(folder.load('dir.png')).rejects.toMatchObject(unusable(/not a file/));
    writeFileSync(join(dir, 'certs', 'outside.png'), solidPng(8, 8, BLUE));
    for (const path of ['../outside.png', 'fuzhou/../../outside.png', join(dir, 'certs', 'outside.png'), '', '.']) {
      await expect(folder.load(path)).rejects.toMatchObject({ code: 'ERR_SEAL_IMAGE_UNUSABLE' });
    }
  });

  test('a symbolic link counts where it points: inside the folder it is followed, out of it refused', async () => {
    writeFileSync(join(seals, 'real.png'), solidPng(8, 8, BLUE));
    symlinkSync(join(seals, 'real.png'), join(seals, 'fuzhou', 'linked.png'));
    await expect(folder.load('fuzhou/linked.png')).resolves.toHaveLength(solidPng(8, 8, BLUE).length);
    writeFileSync(join(dir, 'secret.png'), solidPng(8, 8, BLUE));
    symlinkSync(join(dir, 'secret.png'), join(seals, 'escape.png'));
    await expect(folder.load('escape.png')).rejects.toMatchObject(unusable(/outside the seals folder/));
    symlinkSync(dir, join(seals, 'up'));
    await expect(folder.load('up/secret.png')).rejects.toMatchObject(unusable(/outside the seals folder/));
  });

  test('what is not a PNG, a broken chunk, a file too large and an image of too many pixels are refused', async () => {
    writeFileSync(join(seals, 'text.png'), 'not an image at all, but long enough to have a header');
    await expect(folder.load('text.png')).rejects.toMatchObject(unusable(/not a PNG/));

    const badCrc = discPng(32, 32, BLUE);
    badCrc.writeUInt8(badCrc.readUInt8(badCrc.length - 20) ^ 0xff, badCrc.length - 20); // a byte of the compressed pixels, the IDAT CRC left as it was
    writeFileSync(join(seals, 'crc.png'), badCrc);
    await expect(folder.load('crc.png')).rejects.toMatchObject(unusable(/IDAT fails its CRC/));

    writeFileSync(join(seals, 'huge.png'), Buffer.alloc(MAX_SEAL_IMAGE_BYTES + 1));
    await expect(folder.load('huge.png')).rejects.toMatchObject(unusable(/bytes; at most/));

    // 5000 × 5000 pixels in a few hundred bytes: refused from its header, before anything decodes it.
    writeFileSync(
      join(seals, 'wide.png'),
      rechunk(solidPng(8, 8, BLUE), 'IHDR', (data) => (data.writeUInt32BE(5000, 0), data.writeUInt32BE(5000, 4))),
    );
    await expect(folder.load('wide.png')).rejects.toMatchObject(unusable(/5000×5000 pixels/));
    // A header that promises more rows than the pixels hold.
    writeFileSync(
      join(seals, 'short.png'),
      rechunk(solidPng(8, 8, BLUE), 'IHDR', (data) => data.writeUInt32BE(9, 4)),
    );
    await expect(folder.load('short.png')).rejects.toMatchObject(unusable(/the header promises/));
  });

  test('regression: damaged compressed pixels with valid CRCs are refused at once (pdf-lib alone decodes them for ever)', async () => {
    writeFileSync(
      join(seals, 'damaged.png'),
      rechunk(discPng(32, 32, BLUE), 'IDAT', (data) => data.fill(0x55, 2)),
    );
    await expect(folder.load('damaged.png')).rejects.toMatchObject(unusable(/compressed pixels are damaged/));
  });

  test('a failure is not kept: a file put in place later loads', async () => {
    await expect(folder.load('later.png')).rejects.toMatchObject({ code: 'ERR_SEAL_IMAGE_UNUSABLE' });
    writeFileSync(join(seals, 'later.png'), solidPng(8, 8, BLUE));
    await expect(folder.load('later.png')).resolves.toBeInstanceOf(Uint8Array);
  });
});
