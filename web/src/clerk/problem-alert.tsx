import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router';
import { useSession } from '../session/session';
import type { ClerkProblem } from './problem-of';

/** A failure at the desk, said plainly; when the session has ended, the way back in (and back to this desk). */
export function ProblemAlert({ problem }: { readonly problem: ClerkProblem | null }) {
  const { signOut } = useSession();
  const navigate = useNavigate();
  if (!problem) return null;
  const again = () => void signOut().then(() => navigate('/sign-in', { replace: true, state: { from: '/clerk' } }));
  return (
    <Alert
      type="error"
      role="alert"
      showIcon
      title={problem.text}
      action={problem.signInAgain ? <Button onClick={again}>重新登录</Button> : undefined}
      style={{ margin: '12px 0' }}
    />
  );
}
