import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ConsoleLayout } from './layout/console-layout';
import { homeOf, useSession, type StaffSession } from './session/session';
import { SignInPage } from './sign-in/sign-in-page';

// Each desk is its own chunk: the sign-in page loads none of them.
const ClerkDesk = lazy(() => import('./clerk/clerk-desk'));
const IssueDesk = lazy(() => import('./issuer/issue-desk'));
const BatchDesk = lazy(() => import('./issuer/batch-desk'));
const LifecycleDesk = lazy(() => import('./issuer/lifecycle-desk'));
const HomePage = lazy(() => import('./layout/home-page'));

function Loading() {
  return (
    <div role="status" style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 12, padding: '120px 0', color: '#1d5fb4' }}>
      <Spin size="large" />
      正在加载…
    </div>
  );
}

/** Only for a signed-in member of staff whose role is one of `roles`; others go to sign in, or to their own desk. */
function Desk({ roles, children }: { readonly roles: readonly StaffSession['user']['role'][]; readonly children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <Loading />;
  if (session === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeOf(session.user.role)} replace />;
  return (
    <ConsoleLayout>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ConsoleLayout>
  );
}

function Start() {
  const { session } = useSession();
  if (session === undefined) return <Loading />;
  return <Navigate to={session ? homeOf(session.user.role) : '/sign-in'} replace />;
}

export function ConsoleRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/clerk" element={<Desk roles={['clerk']}>{<ClerkDesk />}</Desk>} />
      <Route path="/issuer" element={<Desk roles={['issuer']}>{<IssueDesk />}</Desk>} />
      <Route path="/issuer/batch" element={<Desk roles={['issuer']}>{<BatchDesk />}</Desk>} />
      <Route path="/issuer/licenses" element={<Desk roles={['issuer']}>{<LifecycleDesk />}</Desk>} />
      <Route path="/home" element={<Desk roles={['sysadmin', 'secadmin', 'auditor']}>{<HomePage />}</Desk>} />
      <Route path="*" element={<Start />} />
    </Routes>
  );
}
