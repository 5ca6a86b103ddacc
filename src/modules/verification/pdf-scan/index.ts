export { scanPdfSignatures, DEFAULT_SCAN_LIMITS } from './scan.js';
export type { FoundSignature, ScanLimits, ScanResult } from './scan.js';
export { parsePdfDate } from './pdf-date.js';
