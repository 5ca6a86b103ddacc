import type { Response } from 'express';
import {
  actorOf,
  approveAccount,
  createAccount,
  disableAccount,
  enableAccount,
  getAccount,
  listAccounts,
  rotateSecret,
  updateAccount,
  type AccountDependencies,
  type AccountWithSecret as AccountAndSecret,
} from '../../modules/auth/index.js';
import { createDepartment, getDepartment, listDepartments, updateDepartment, type DepartmentDependencies } from '../../modules/departments/index.js';
import { principalOf } from '../middleware/authenticate.js';
import {
  Account,
  AccountChangesBody,
  AccountList,
  AccountWithSecret,
  ClientIdParams,
  CreditCodeParams,
  Department,
  DepartmentChangesBody,
  DepartmentList,
  NewAccountBody,
  NewDepartmentBody,
} from '../schemas/admin.js';
import type { Shape } from '../schemas/common.js';
import { mountRoutes, routeOf, type RouteDefinition, type ResponseSpec } from './route.js';

export type AdminRouteDependencies = DepartmentDependencies & AccountDependencies;

/** The only responses that carry a client secret (never cached, as no /api/v1 answer is: app.ts). */
function sendSecret(res: Response, status: number, result: AccountAndSecret): void {
  res.status(status).json(result satisfies Shape<typeof AccountWithSecret>);
}

const route = routeOf<AdminRouteDependencies>();
const TAG = 'Administration';
/** Departments and configuration: the system administrator. */
const SYSADMIN = ['sysadmin'] as const;
/** Credentials, roles and locks: the security administrator. */
const SECADMIN = ['secadmin'] as const;
/** Both managing administrators; the use cases decide by the target account's role (see modules/auth/duties.ts). */
const MANAGERS = ['sysadmin', 'secadmin'] as const;
const json = (description: string, schema: ResponseSpec['content'][string], headers?: ResponseSpec['headers']): ResponseSpec => ({
  description,
  content: { 'application/json': schema },
  ...(headers ? { headers } : {}),
});

/** Administration: departments (system administrator) and accounts (both managing administrators, separated duties). Every change is audited by the use cases. */
export const ADMIN_ROUTES: readonly RouteDefinition<AdminRouteDependencies>[] = [
  route({
    method: 'post',
    path: '/api/v1/admin/departments',
    tag: TAG,
    summary: 'Create a department',
    roles: SYSADMIN,
    request: { body: NewDepartmentBody },
    responses: { 201: json('The department', Department, { Location: 'The department' }) },
    async handle({ body }, _req, res, deps) {
      const department = await createDepartment(deps, actorOf(principalOf(res)), body);
      res
        .status(201)
        .location(`/api/v1/admin/departments/${department.creditCode}`)
        .json(department satisfies Shape<typeof Department>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/admin/departments',
    tag: TAG,
    summary: 'Departments',
    roles: SYSADMIN,
    responses: { 200: json('Every department, by credit code', DepartmentList) },
    async handle(_input, _req, res, deps) {
      res.json({ departments: await listDepartments(deps) } satisfies Shape<typeof DepartmentList>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/admin/departments/:creditCode',
    tag: TAG,
    summary: 'One department',
    roles: SYSADMIN,
    request: { params: CreditCodeParams },
    responses: { 200: json('The department', Department) },
    async handle({ params }, _req, res, deps) {
      res.json((await getDepartment(deps, params.creditCode)) satisfies Shape<typeof Department>);
    },
  }),
  route({
    method: 'patch',
    path: '/api/v1/admin/departments/:creditCode',
    tag: TAG,
    summary: 'Change a department',
    roles: SYSADMIN,
    request: { params: CreditCodeParams, body: DepartmentChangesBody },
    responses: { 200: json('The department, changed', Department) },
    async handle({ params, body }, _req, res, deps) {
      res.json((await updateDepartment(deps, actorOf(principalOf(res)), params.creditCode, body)) satisfies Shape<typeof Department>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/admin/accounts',
    tag: TAG,
    summary: 'Create an account (secret shown once; pending until approved)',
    roles: MANAGERS,
    rolesNote: 'sysadmin: issuer and clerk accounts; secadmin: sysadmin, secadmin and auditor accounts. Pending until the other managing role approves',
    request: { body: NewAccountBody },
    responses: { 201: json('The account and its secret', AccountWithSecret, { Location: 'The account' }) },
    async handle({ body }, _req, res, deps) {
      const created = await createAccount(deps, actorOf(principalOf(res)), body);
      res.location(`/api/v1/admin/accounts/${created.account.clientId}`);
      sendSecret(res, 201, created);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/admin/accounts',
    tag: TAG,
    summary: 'Accounts',
    roles: MANAGERS,
    responses: { 200: json('Every account, without secrets', AccountList) },
    async handle(_input, _req, res, deps) {
      res.json({ accounts: await listAccounts(deps) } satisfies Shape<typeof AccountList>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/admin/accounts/:clientId',
    tag: TAG,
    summary: 'One account',
    roles: MANAGERS,
    request: { params: ClientIdParams },
    responses: { 200: json('The account', Account) },
    async handle({ params }, _req, res, deps) {
      res.json((await getAccount(deps, params.clientId)) satisfies Shape<typeof Account>);
    },
  }),
  route({
    method: 'patch',
    path: '/api/v1/admin/accounts/:clientId',
    tag: TAG,
    summary: 'Change an account',
    roles: MANAGERS,
    rolesNote: "a role change: secadmin; department and display name: sysadmin for issuers and clerks, secadmin for the administrator roles. Never one's own account",
    request: { params: ClientIdParams, body: AccountChangesBody },
    responses: { 200: json('The account, changed', Account) },
    async handle({ params, body }, _req, res, deps) {
      res.json((await updateAccount(deps, actorOf(principalOf(res)), params.clientId, body)) satisfies Shape<typeof Account>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/admin/accounts/:clientId/disable',
    tag: TAG,
    summary: 'Disable an account: its tokens stop working at once',
    roles: SECADMIN,
    rolesNote: "never one's own account; not the last enabled, approved account of its role",
    request: { params: ClientIdParams },
    responses: { 200: json('The account', Account) },
    async handle({ params }, _req, res, deps) {
      res.json((await disableAccount(deps, actorOf(principalOf(res)), params.clientId)) satisfies Shape<typeof Account>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/admin/accounts/:clientId/enable',
    tag: TAG,
    summary: 'Enable a disabled account (its earlier tokens stay dead)',
    roles: SECADMIN,
    rolesNote: "never one's own account",
    request: { params: ClientIdParams },
    responses: { 200: json('The account', Account) },
    async handle({ params }, _req, res, deps) {
      res.json((await enableAccount(deps, actorOf(principalOf(res)), params.clientId)) satisfies Shape<typeof Account>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/admin/accounts/:clientId/approve',
    tag: TAG,
    summary: 'Approve the secret another administrator set: the account may get tokens',
    roles: MANAGERS,
    rolesNote: "a secret set by a sysadmin is approved by a secadmin, one set by a secadmin by a sysadmin; never one's own account",
    request: { params: ClientIdParams },
    responses: { 200: json('The account, approved', Account) },
    async handle({ params }, _req, res, deps) {
      res.json((await approveAccount(deps, actorOf(principalOf(res)), params.clientId)) satisfies Shape<typeof Account>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/admin/accounts/:clientId/rotate-secret',
    tag: TAG,
    summary: 'Reset the secret (the new one shown once; tokens stop working; pending until approved)',
    roles: SECADMIN,
    rolesNote: "never one's own account; the account is pending until a sysadmin approves",
    request: { params: ClientIdParams },
    responses: { 200: json('The account and its new secret', AccountWithSecret) },
    async handle({ params }, _req, res, deps) {
      sendSecret(res, 200, await rotateSecret(deps, actorOf(principalOf(res)), params.clientId));
    },
  }),
];

/** The administration routes. Mount behind the authentication gate. */
export function adminRoutes(deps: AdminRouteDependencies) {
  return mountRoutes(ADMIN_ROUTES, deps);
}
