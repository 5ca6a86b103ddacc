export * from './template.js';
export { validateFaceFields, isIsoDate, type FaceFieldRule, type FaceFieldSchema, type FaceFields, type FieldValue } from './face-fields.js';
export type { LicenseFaceRenderer, LicenseRenderer, QrEncoder, QrMatrix, RenderedLicense, RenderRequest, SealImageSource, SealSpec } from './renderer.js';
export { chineseDate, itemText, wrapText } from './face-text.js';
export { createTemplateCatalog, type TemplateCatalog } from './catalog.js';
