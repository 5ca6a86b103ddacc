import request from 'supertest';
import type { Express } from 'express';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { auditRoutes } from '../../../src/http/routes/audit.js';
import { catalogueRoutes, licenseRoutes } from '../../../src/http/routes/licenses.js';
import { createAccount, disableAccount, ROLES, type Role } from '../../../src/modules/auth/index.js';
import { DEMO_DEPARTMENT } from '../../../src/modules/departments/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, bearer, ensureDepartment, TEST_ACTOR, tokenFor } from '../../support/auth.js';
import { licenseRouteDependencies, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** Who calls: no token at all, or an active account of each role. */
type Caller = 'anonymous' | Role;
const CALLERS: readonly Caller[] = ['anonymous', ...ROLES];
const OTHER_DEPARTMENT = '11100000000013338W';

/**
 * One action of the vault's protected surface. `allowed` names the roles that
 * succeed and their status; `own` the roles that pass the role gate but are
 * refused because the account is their own. Everyone else: 403 ERR_FORBIDDEN
 * with a token, 401 ERR_AUTH_TOKEN_MISSING without.
 */
interface Action {
  readonly name: string;
  readonly allowed: Partial<Record<Role, number>>;
  readonly own?: readonly Role[];
  /** Sets up a fresh target and sends the request as `caller`. */
  send(caller: Caller): Promise<request.Response>;
}

function expected(action: Action, caller: Caller): string {
  if (caller === 'anonymous') return '401 ERR_AUTH_TOKEN_MISSING';
  const status = action.allowed[caller];
  if (status !== undefined) return String(status);
  return action.own?.includes(caller) ? '403 ERR_FORBIDDEN_OWN_ACCOUNT' : '403 ERR_FORBIDDEN';
}

function outcome(res: request.Response): string {
  return res.status < 300 ? String(res.status) : `${res.status} ${String(res.body.code)}`;
}

describe('separated duties: every role × every administration, audit and license action over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  const tokens: Partial<Record<Role, string>> = {};
  /** The client id of each caller's account. */
  const ids: Partial<Record<Role, string>> = {};
  let counter = 0;

  const as = (caller: Caller) => (caller === 'anonymous' ? {} : { Authorization: bearer(tokens[caller]!) });
  const deps = () => ({ store: vault.store, clock: systemClock });

  /** A fresh account of `role`, set up by the host (active), or by an account of `setter` (pending its approval). */
  const fresh = async (role: Role, setter?: 'sysadmin' | 'secadmin'): Promise<string> => {
    counter += 1;
    const actor = setter ? { id: ids[setter]!, role: setter } : TEST_ACTOR;
    const department = role === 'issuer' ? TEST_DEPARTMENT.creditCode : null;
    return (await createAccount(deps(), actor, { role, department, clientId: `target-${role}-${counter}` })).account.clientId;
  };
  const post = (caller: Caller, path: string, body: object = {}) => request(app).post(path).set(as(caller)).send(body);
  const patch = (caller: Caller, path: string, body: object) => request(app).patch(path).set(as(caller)).send(body);
  const get = (caller: Caller, path: string) => request(app).get(path).set(as(caller));
  const account = (clientId: string, verb = '') => `/api/v1/admin/accounts/${clientId}${verb ? `/${verb}` : ''}`;
  /** The caller's own account; anonymous callers name another's. */
  const own = (caller: Caller) => (caller === 'anonymous' ? ids.clerk! : ids[caller]!);
  /** A license of the test department, issued directly. */
  const freshLicense = async (): Promise<string> =>
    (
      await vault.issuance.issue(
        { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode },
        { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields },
      )
    ).license.identifier;

  const ACTIONS: readonly Action[] = [
    ...(['issuer', 'clerk'] as const).map((role): Action => ({
      name: `create an ${role} account`,
      allowed: { sysadmin: 201 },
      send: (caller) => post(caller, '/api/v1/admin/accounts', { role, department: role === 'issuer' ? TEST_DEPARTMENT.creditCode : null }),
    })),
    ...(['sysadmin', 'secadmin', 'auditor'] as const).map((role): Action => ({
      name: `create a ${role} account`,
      allowed: { secadmin: 201 },
      send: (caller) => post(caller, '/api/v1/admin/accounts', { role }),
    })),
    { name: 'approve a clerk a sysadmin created', allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('clerk', 'sysadmin'), 'approve')) },
    { name: 'approve an auditor a secadmin created', allowed: { sysadmin: 200 }, send: async (caller) => post(caller, account(await fresh('auditor', 'secadmin'), 'approve')) },
    { name: 'approve own account', allowed: {}, own: ['sysadmin', 'secadmin'], send: (caller) => post(caller, account(own(caller), 'approve')) },
    { name: "reset an issuer's secret", allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('issuer'), 'rotate-secret')) },
    { name: "reset an auditor's secret", allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('auditor'), 'rotate-secret')) },
    { name: "reset a sysadmin's secret", allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('sysadmin'), 'rotate-secret')) },
    { name: 'reset own secret', allowed: {}, own: ['secadmin'], send: (caller) => post(caller, account(own(caller), 'rotate-secret')) },
    { name: 'make a clerk an auditor', allowed: { secadmin: 200 }, send: async (caller) => patch(caller, account(await fresh('clerk')), { role: 'auditor' }) },
    { name: 'make an auditor a clerk', allowed: { secadmin: 200 }, send: async (caller) => patch(caller, account(await fresh('auditor')), { role: 'clerk' }) },
    { name: 'make a sysadmin a secadmin', allowed: { secadmin: 200 }, send: async (caller) => patch(caller, account(await fresh('sysadmin')), { role: 'secadmin' }) },
    { name: 'change own role', allowed: {}, own: ['secadmin'], send: (caller) => patch(caller, account(own(caller)), { role: 'clerk' }) },
    {
      name: 'move an issuer to another department',
      allowed: { sysadmin: 200 },
      send: async (caller) => patch(caller, account(await fresh('issuer')), { department: OTHER_DEPARTMENT }),
    },
    { name: 'rename a clerk', allowed: { sysadmin: 200 }, send: async (caller) => patch(caller, account(await fresh('clerk')), { displayName: '二号窗口' }) },
    { name: 'rename an auditor', allowed: { secadmin: 200 }, send: async (caller) => patch(caller, account(await fresh('auditor')), { displayName: '审计管理员' }) },
    { name: 'rename own account', allowed: {}, own: ['secadmin'], send: (caller) => patch(caller, account(own(caller)), { displayName: '改名' }) },
    { name: 'disable a clerk', allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('clerk'), 'disable')) },
    { name: 'disable an auditor', allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('auditor'), 'disable')) },
    { name: 'disable a sysadmin', allowed: { secadmin: 200 }, send: async (caller) => post(caller, account(await fresh('sysadmin'), 'disable')) },
    {
      name: 'enable a disabled issuer',
      allowed: { secadmin: 200 },
      send: async (caller) => {
        const target = await fresh('issuer');
        await disableAccount(deps(), TEST_ACTOR, target);
        return post(caller, account(target, 'enable'));
      },
    },
    { name: 'disable own account', allowed: {}, own: ['secadmin'], send: (caller) => post(caller, account(own(caller), 'disable')) },
    {
      name: 'create a department',
      allowed: { sysadmin: 201 },
      send: (caller) =>
        post(caller, '/api/v1/admin/departments', {
          creditCode: DEMO_DEPARTMENT.creditCode,
          name: DEMO_DEPARTMENT.name,
          divisionCode: DEMO_DEPARTMENT.divisionCode,
          licenseTypes: [teacher.catalogue.typeCode],
        }),
    },
    { name: 'list departments', allowed: { sysadmin: 200 }, send: (caller) => get(caller, '/api/v1/admin/departments') },
    { name: 'read a department', allowed: { sysadmin: 200 }, send: (caller) => get(caller, `/api/v1/admin/departments/${TEST_DEPARTMENT.creditCode}`) },
    {
      name: 'change a department',
      allowed: { sysadmin: 200 },
      send: (caller) => patch(caller, `/api/v1/admin/departments/${OTHER_DEPARTMENT}`, { name: `测试发证机关 ${counter++}` }),
    },
    { name: 'list accounts', allowed: { sysadmin: 200, secadmin: 200 }, send: (caller) => get(caller, '/api/v1/admin/accounts') },
    { name: 'read an account', allowed: { sysadmin: 200, secadmin: 200 }, send: (caller) => get(caller, account(ids.auditor!)) },
    { name: 'read the audit log', allowed: { auditor: 200 }, send: (caller) => get(caller, '/api/v1/audit') },
    { name: 'verify the audit log', allowed: { auditor: 200 }, send: (caller) => get(caller, '/api/v1/audit/verify') },
    { name: 'sign an audit checkpoint', allowed: { auditor: 201 }, send: (caller) => post(caller, '/api/v1/audit/checkpoints') },
    {
      name: 'look a holder up',
      allowed: { issuer: 200, clerk: 200 },
      send: (caller) => get(caller, `/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('办理入学登记')}`),
    },
    {
      name: 'issue a license',
      allowed: { issuer: 201 },
      send: (caller) =>
        post(caller, '/api/v1/licenses', {
          licenseType: teacher.catalogue.typeCode,
          holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
          fields: teacher.example.fields,
        }),
    },
    {
      name: 'download an original',
      allowed: { issuer: 200 },
      send: async (caller) => get(caller, `/api/v1/licenses/${await freshLicense()}/pdf?purpose=${encodeURIComponent('办理入学登记')}`),
    },
    {
      name: 'make an annotated copy',
      allowed: { issuer: 201, clerk: 201 },
      send: async (caller) => post(caller, `/api/v1/licenses/${await freshLicense()}/copies`, { serviceItem: '新生入学登记', purpose: '办理入学登记' }),
    },
  ];

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    ({ app } = authTestApp(vault.store, {
      routers: [
        catalogueRoutes(vault.templates),
        licenseRoutes(licenseRouteDependencies(vault, { lookupsPerMinute: 1000 })),
        auditRoutes({
          audit: vault.store.audit,
          signer: ecdsaCheckpointSigner({ privateKey: vault.pki.department.privateKey, publicKey: vault.pki.department.privateKey, keyId: 'k' }),
          clock: vault.clock,
        }),
      ],
    }));
    await ensureDepartment(vault.store, OTHER_DEPARTMENT);
    for (const role of ROLES) tokens[role] = await tokenFor(app, vault.store, role, role === 'issuer' ? TEST_DEPARTMENT.creditCode : undefined);
    for (const record of await vault.store.accounts.list()) ids[record.role] ??= record.clientId;
  });
  afterAll(() => vault.close());

  test('each cell answers as the role × action table says', async () => {
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const action of ACTIONS) {
      for (const caller of CALLERS) {
        seen.push(`${action.name} / ${caller}: ${outcome(await action.send(caller))}`);
        wanted.push(`${action.name} / ${caller}: ${expected(action, caller)}`);
      }
    }
    expect(seen).toEqual(wanted);
    expect(seen).toHaveLength(ACTIONS.length * CALLERS.length);
  });
});
