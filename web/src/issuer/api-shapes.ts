import type { Schemas } from '../api/client';

export type License = Schemas['License'];
export type BatchIssueResult = Schemas['BatchIssueResult'];
