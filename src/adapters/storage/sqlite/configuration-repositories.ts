import type { AccountRecord, AccountRepository } from '../../../modules/auth/index.js';
import type { DepartmentRecord, DepartmentRepository } from '../../../modules/departments/index.js';
import type { SqliteConnection } from './connection.js';
import { SqliteDocumentTable } from './document-table.js';

export function sqliteDepartments(connection: SqliteConnection): DepartmentRepository {
  const table = new SqliteDocumentTable<DepartmentRecord>(connection, 'departments', 'credit_code');
  return {
    insert: (department) => table.insert(department.creditCode, department),
    update: (department) => table.update(department.creditCode, department),
    get: (creditCode) => table.get(creditCode),
    list: () => table.list(),
  };
}

export function sqliteAccounts(connection: SqliteConnection): AccountRepository {
  const table = new SqliteDocumentTable<AccountRecord>(connection, 'accounts', 'client_id');
  return {
    insert: (account) => table.insert(account.clientId, account),
    update: (account) => table.update(account.clientId, account),
    get: (clientId) => table.get(clientId),
    list: () => table.list(),
  };
}
