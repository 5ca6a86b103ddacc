export * from './copy.js';
export * from './metadata.js';
export { copyBand, chineseDate, chineseDateTime, type CopyBand } from './band.js';
export type { CopyComposer, CopyComposition } from './composer.js';
export type { CopyRepository } from './repository.js';
export {
  AnnotatedCopies,
  NO_DEPARTMENT_OFFICE,
  type AnnotatedCopiesDependencies,
  type CopyInput,
  type CopyRepositories,
  type CopyRequest,
  type CopyStore,
  type MadeCopy,
} from './annotated-copies.js';
