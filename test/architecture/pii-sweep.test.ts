import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { citizenIdsIn, sweptCount } from '../support/pii-sweep.js';
import { capturedLogger } from '../support/log-capture.js';

/** The sweep that fails any test file whose logs or public responses hold an unmasked citizen ID (test/support/pii-sweep-setup.ts). */
describe('the personal-data sweep', () => {
  test('finds real citizen ID numbers, in any surrounding, and not masked or invalid ones', () => {
    expect(citizenIdsIn('{"holder":"11010519491231002X","url":"/api/v1/holders/440524188001010014/licenses"}')).toEqual(['11010519491231002X', '440524188001010014']);
    expect(citizenIdsIn('holder=11010519491231002x;')).toEqual(['11010519491231002x']);
    expect(citizenIdsIn('110105********002X 11010519491231002Y 110105194912310021 911101080000000000 A11010519491231002X')).toEqual([]);
  });

  test('sees what a logger writes and what a public route answers in this process', async () => {
    const before = sweptCount();
    capturedLogger().logger.info('a look-up', { holder: '110105********002X' });
    const server = createServer((_request, response) => response.end('{"holderId":"110105********002X"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await (await fetch(`http://127.0.0.1:${port}/api/v1/verifications/fields`, { method: 'POST' })).text();
      await (await fetch(`http://127.0.0.1:${port}/api/v1/holders/x/licenses`)).text();
    } finally {
      server.close();
    }
    const after = sweptCount();
    expect(after.logs).toBe(before.logs + 1);
    expect(after.responses).toBe(before.responses + 1);
  });
});
