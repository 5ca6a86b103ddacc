import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * The vault's API, typed from its OpenAPI document (schema.d.ts is generated
 * from the route table): a changed route breaks the console's type check.
 * The staff session travels in its HttpOnly cookie; the browser adds the
 * Origin header the vault checks on every change.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Schemas = components['schemas'];
