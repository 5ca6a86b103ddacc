import type { Schemas } from '../api/client';

export type License = Schemas['License'];

/** What the clerk is doing, as the holder's authorization or the clerk's form said it: printed on the copy and audited with each read. */
export interface UseOfLicenses {
  readonly serviceItem: string;
  readonly purpose: string;
}

/** 一人一档: the holder the clerk reached and their licenses, with how they were reached. */
export interface Dossier {
  readonly holder: { readonly name: string; readonly maskedNumber: string };
  readonly use: UseOfLicenses;
  readonly licenses: readonly License[];
  /** By 用证码: when the authorization ends and how many uses it has left. */
  readonly authorization?: { readonly expiresAt: string; readonly usesLeft: number };
}
