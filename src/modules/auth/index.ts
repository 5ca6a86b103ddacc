export * from './account.js';
export * from './principal.js';
