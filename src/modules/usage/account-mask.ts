/**
 * An account name as a holder sees it in their usage record: enough to tell
 * two clerks apart and to quote to the office, not enough to sign in with or
 * to find the person: `demo-clerk` → `dem***rk`.
 */
export function maskAccount(clientId: string): string {
  const characters = [...clientId];
  if (characters.length <= 3) return `${characters[0] ?? ''}***`;
  if (characters.length <= 6) return `${characters.slice(0, 2).join('')}***`;
  return `${characters.slice(0, 3).join('')}***${characters.slice(-2).join('')}`;
}
