/** A file too large, of another kind, or unreadable: its message says why in Chinese. */
export class BatchFileError extends Error {}
