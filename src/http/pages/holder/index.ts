/** The holder pages at /me: server-rendered, mobile first, Chinese first with English. */
export * from './view-models.js';
export { authorizePage, EMPTY_AUTHORIZE_FORM, MANY_USES, type AuthorizeFormValues } from './authorize-page.js';
export { authorizationResultPage, authorizationsPage } from './authorizations-page.js';
export { licensePage } from './license-page.js';
export { licenseLabel } from './license-card.js';
export { licensesPage } from './licenses-page.js';
export { messagePage } from './message-page.js';
export { EMPTY_SHARE_FORM, sharePage, shareResultPage, sharesPage, type ShareFormValues } from './share-pages.js';
export { HOLDER_SCRIPT, HOLDER_SCRIPT_PATH } from './script.js';
export { HOLDER_STYLESHEET, HOLDER_STYLESHEET_PATH } from './stylesheet.js';
export { DEFAULT_LIFETIME_MINUTES, DEFAULT_SHARE_LIFETIME_MINUTES, LIFETIME_CHOICES, SHARE_LIFETIME_CHOICES } from './text.js';
export { usagePage } from './usage-page.js';
export { MY_LICENSES_LINK, welcomePage } from './welcome-page.js';
export type { AuthorizationsBackend, HolderPageBackends, LicensesBackend, NewAuthorizationInput, NewShareInput, SharesBackend, UsageBackend } from './backends.js';
