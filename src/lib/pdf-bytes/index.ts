/**
 * The vault's PDF byte library: reads and patches PDF bytes without a PDF
 * library, through one lexer. No vendor, no vault rule: modules/ and
 * adapters/ use it through this file only.
 */
export { scanPdfSignatures, DEFAULT_SCAN_LIMITS, type FoundSignature, type ScanLimits, type ScanResult } from './signature-scan.js';
export { parsePdfDate } from './pdf-date.js';
export {
  locateSignaturePlaceholder,
  byteRangeFor,
  fillByteRange,
  signedRanges,
  fillSignature,
  sameLocation,
  PlaceholderError,
  type PreparedPdf,
  type SignaturePlaceholderLocation,
} from './placeholder.js';
export { lastTextEntry } from './text-entry.js';
export { crossReferenceOffset, crossReferenceTable } from './cross-reference.js';
