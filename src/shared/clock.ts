/** Time is passed in, never read from the global, so tests can freeze it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `instant` (ISO 8601), for tests and reproducible runs. */
export function fixedClock(instant: string): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new TypeError(`fixedClock: not an instant: ${instant}`);
  return { now: () => new Date(at) };
}
