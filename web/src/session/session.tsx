import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type Schemas } from '../api/client';

export type StaffSession = Schemas['StaffSession'];

interface SessionState {
  /** undefined while the first answer is awaited; null when nobody is signed in. */
  readonly session: StaffSession | null | undefined;
  /** After signing in: the session the vault answered. */
  readonly signedIn: (session: StaffSession) => void;
  readonly signOut: () => Promise<void>;
  /** Ends every session of this account, on every device; answers how many. */
  readonly signOutEverywhere: () => Promise<number>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Asks the vault who is signed in (the cookie is HttpOnly: only the vault can tell). */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void api.GET('/api/v1/staff/session').then(
      ({ data }) => live && setSession(data ?? null),
      () => live && setSession(null),
    );
    return () => {
      live = false;
    };
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/api/v1/staff/sign-out').catch(() => undefined);
    setSession(null);
  }, []);

  const signOutEverywhere = useCallback(async () => {
    const { data } = await api.POST('/api/v1/staff/sign-out-everywhere').catch(() => ({ data: undefined }));
    setSession(null);
    return data?.sessionsEnded ?? 0;
  }, []);

  const value = useMemo<SessionState>(() => ({ session, signedIn: setSession, signOut, signOutEverywhere }), [session, signOut, signOutEverywhere]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new TypeError('useSession needs a SessionProvider');
  return state;
}

/** Where a role's work starts. */
export function homeOf(role: StaffSession['user']['role']): string {
  switch (role) {
    case 'clerk':
      return '/clerk';
    case 'issuer':
      return '/issuer';
    case 'sysadmin':
    case 'secadmin':
    case 'auditor':
      return '/home';
  }
}
