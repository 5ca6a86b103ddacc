export * from './license.js';
export * from './repository.js';
export { encodeCursor, decodeCursor, type LicensePageCursor } from './cursor.js';
export * from './status.js';
export { chinaToday, validityFor } from './validity.js';
export { raiseCounterAudited, skippedSerialsOf, SERIAL_SKIP_ACTION, type SerialSkipReason } from './serial-skips.js';
export { counterText, counterValuesOf } from './numbering.js';
