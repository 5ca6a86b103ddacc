import type { Problem } from '../api/problems';
import { problemMessage } from '../api/problems';
import { CLERK_MESSAGES } from './clerk-messages';

/** The clerk's words for a failed call, with when to try again where the vault said. */
export function clerkProblem(problem: Problem | undefined, response?: Response): string {
  const message = problemMessage(problem, CLERK_MESSAGES);
  const retry = Number(response?.headers.get('Retry-After'));
  if (response?.status === 429 && Number.isFinite(retry) && retry > 0) return `${message}（约 ${Math.ceil(retry / 60)} 分钟后可再试）`;
  return message;
}
