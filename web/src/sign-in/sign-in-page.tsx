import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { Schemas } from '../api/client';
import { homeOf, useSession } from '../session/session';
import { EnrolmentStep } from './enrolment-step';
import { SignInCard } from './sign-in-card';
import { SignInForm } from './sign-in-form';

const TITLE = '电子证照库 · 工作台登录';

/** Where to go after signing in: the page the person came from (a path of the console), else their desk. */
function destination(state: unknown, role: Schemas['StaffSession']['user']['role']): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/sign-in') ? from : homeOf(role);
}

/** 工作台登录: 账号 + 密码 + 动态口令, or binding an authenticator app first. */
export function SignInPage() {
  const { session, signedIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<Schemas['TotpEnrolment'] | null>(null);

  if (session) return <Navigate to={destination(location.state, session.user.role)} replace />;

  function answered(answer: Schemas['StaffSignInResult']) {
    if (answer.status === 'enrol') return setEnrolment(answer.enrolment);
    signedIn(answer.session);
    void navigate(destination(location.state, answer.session.user.role), { replace: true });
  }

  return (
    <SignInCard title={TITLE}>
      {enrolment ? <EnrolmentStep enrolment={enrolment} onAnswer={answered} onRestart={() => setEnrolment(null)} /> : <SignInForm onAnswer={answered} />}
    </SignInCard>
  );
}
