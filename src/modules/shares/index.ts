/**
 * Share links (分享): a holder shows chosen licenses to a third party for a
 * purpose, for a while, once or until revoked; each opening is audited.
 */
export {
  SHARE_LIFETIME_DEFAULT_MINUTES,
  SHARE_LIFETIME_MAX_MINUTES,
  SHARE_LIFETIME_MIN_MINUTES,
  SHARE_LIST_ENDED_DAYS,
  SHARE_MAX_LICENSES,
  SHARE_ONE_TIME_COPY_MINUTES,
  SHARE_RECIPIENT_MAX_LENGTH,
  SHARE_STATES,
  shareStateOf,
  type ShareRecord,
  type ShareState,
  type ShareView,
} from './share.js';
export type { ShareRepository } from './share-repository.js';
export type { ShareCopy, ShareCopyMaker, ShareCopyRequest } from './copy-maker.js';
export { recipientOf } from './recipient.js';
export {
  HolderShares,
  type CreatedShare,
  type HolderSharesDependencies,
  type OpenedShare,
  type SharedLicense,
  type ShareRepositories,
  type ShareRefusal,
  type ShareRequest,
  type ShareStore,
} from './shares.js';
