import type { Problem } from '../api/problems';
import { problemMessage } from '../api/problems';
import { CLERK_MESSAGES } from './clerk-messages';

/** A failure as the clerk reads it; `signInAgain` when the session has ended and only signing in again helps. */
export interface ClerkProblem {
  readonly text: string;
  readonly signInAgain: boolean;
}

/** The clerk's words for a failed call, with when to try again where the vault said. */
export function clerkProblem(problem: Problem | undefined, response?: Response): ClerkProblem {
  const message = problemMessage(problem, CLERK_MESSAGES);
  const retry = Number(response?.headers.get('Retry-After'));
  const text = response?.status === 429 && Number.isFinite(retry) && retry > 0 ? `${message}（约 ${Math.ceil(retry / 60)} 分钟后可再试）` : message;
  return { text, signInAgain: response?.status === 401 };
}
