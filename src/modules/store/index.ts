export type { Repositories, VaultStore } from './vault-store.js';
