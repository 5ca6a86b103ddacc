// Runs from source only (tsx): worker threads do not inherit tsx's loader on Node 20, so the
// thread registers it before loading the TypeScript entry. The build uses vault-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./vault-worker.ts');

export const render = entry.render;
export const verify = entry.verify;
export const face = entry.face;
