import { AUDIT_GENESIS_HASH, canonicalJson, chainAuditEntry, findAuditChainBreak, type AuditDraft } from '../../../src/modules/audit/index.js';

const draft = (action: string): AuditDraft => ({ at: '2026-11-21T08:00:00.000Z', actor: { id: 'clerk-1', role: 'clerk' }, action, target: null, details: { purpose: '办理入学' } });

describe('audit chain', () => {
  test('the first entry links to the genesis hash; each next one to the hash before', () => {
    const first = chainAuditEntry(null, draft('a'));
    const second = chainAuditEntry(first, draft('b'));
    expect(first).toMatchObject({ seq: 1, prevHash: AUDIT_GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(findAuditChainBreak([first, second])).toBeNull();
  });

  test('the hash is stable for equal content whatever the key order of details', () => {
    const one = chainAuditEntry(null, { ...draft('a'), details: { b: 1, a: { y: 2, x: 1 } } });
    const two = chainAuditEntry(null, { ...draft('a'), details: { a: { x: 1, y: 2 }, b: 1 } });
    expect(one.hash).toBe(two.hash);
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: undefined })).toBe('{"b":[{"c":2,"d":1}]}');
  });

  test('a removed, relinked or edited entry is found and named', () => {
    const first = chainAuditEntry(null, draft('a'));
    const second = chainAuditEntry(first, draft('b'));
    const third = chainAuditEntry(second, draft('c'));
    expect(findAuditChainBreak([first, third])).toEqual({ seq: 3, reason: 'gap' });
    expect(findAuditChainBreak([first, { ...second, prevHash: AUDIT_GENESIS_HASH }])).toEqual({ seq: 2, reason: 'link' });
    expect(findAuditChainBreak([first, { ...second, action: 'hidden' }, third])).toEqual({ seq: 2, reason: 'hash' });
    expect(findAuditChainBreak([second, third], first)).toBeNull();
  });
});
