import { capturedLogger } from '../../support/log-capture.js';

const ID = '11010519491231002X';
const MASKED = '110105********002X';

describe('pino logger adapter', () => {
  test('masks ID numbers in messages, nested fields, arrays, bindings and errors', () => {
    const { logger, lines, text } = capturedLogger();
    const child = logger.child({ holder: ID });
    const failure = Object.assign(new Error(`lookup of ${ID} failed`), { code: 'ERR_X' });
    child.warn(`holder ${ID}`, { query: { ids: [ID, `号码${ID}的`] }, err: failure });
    expect(text()).not.toContain(ID);
    expect(lines()[0]).toMatchObject({
      level: 40,
      msg: `holder ${MASKED}`,
      holder: MASKED,
      query: { ids: [MASKED, `号码${MASKED}的`] },
      err: { type: 'Error', message: `lookup of ${MASKED} failed`, code: 'ERR_X' },
      service: 'license-vault',
    });
  });

  test('keeps credit codes (public) whole and honours the level', () => {
    const { logger, lines } = capturedLogger('info');
    logger.debug('hidden');
    logger.info('issuer', { creditCode: '91350100M000100Y43' });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ msg: 'issuer', creditCode: '91350100M000100Y43' });
  });
});
