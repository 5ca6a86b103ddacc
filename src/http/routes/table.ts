import { ADMIN_ROUTES } from './admin.js';
import { AUDIT_ROUTES } from './audit.js';
import { AUTH_ROUTES } from './auth.js';
import { REDEMPTION_ROUTES } from './authorization-redemption.js';
import { HOLDER_AUTHORIZATION_ROUTES } from './me-authorizations.js';
import { CONSOLE_ROUTES } from './console.js';
import { FRONT_PAGE_ROUTES } from './front-page.js';
import { HEALTH_ROUTES } from './health.js';
import { HOLDER_ROUTES } from './holder.js';
import { HOLDER_PAGE_ROUTES } from './holder-pages.js';
import { HOLDER_SIGN_IN_ROUTES } from './holder-sign-in.js';
import { LICENSE_FACE_ROUTES } from './license-faces.js';
import { LICENSE_PREVIEW_ROUTES } from './license-preview.js';
import { CATALOGUE_ROUTES, LICENSE_ROUTES } from './licenses.js';
import { MY_LICENSE_ROUTES } from './my-licenses.js';
import type { DocumentedRoute } from './route.js';
import { SHARE_ROUTES } from './shares.js';
import { STAFF_ROUTES } from './staff.js';
import { TRUST_ROUTES } from './trust.js';
import { VERIFICATION_ROUTES } from './verification.js';

/**
 * Every route the vault serves apart from its own documentation
 * (`routes/docs.ts` adds those): the routers are mounted from these lists
 * and the OpenAPI document is generated from them.
 */
export const SERVICE_ROUTES: readonly DocumentedRoute[] = [
  ...FRONT_PAGE_ROUTES,
  ...HOLDER_SIGN_IN_ROUTES,
  ...CONSOLE_ROUTES,
  ...HEALTH_ROUTES,
  ...TRUST_ROUTES,
  ...CATALOGUE_ROUTES,
  ...VERIFICATION_ROUTES,
  ...AUTH_ROUTES,
  ...STAFF_ROUTES,
  ...HOLDER_ROUTES,
  ...HOLDER_PAGE_ROUTES,
  ...MY_LICENSE_ROUTES,
  ...SHARE_ROUTES,
  ...ADMIN_ROUTES,
  ...LICENSE_ROUTES,
  ...LICENSE_FACE_ROUTES,
  ...LICENSE_PREVIEW_ROUTES,
  ...AUDIT_ROUTES,
  ...REDEMPTION_ROUTES,
  ...HOLDER_AUTHORIZATION_ROUTES,
];
