/** Placeholder until the sign-in page lands (helper: console-clerk). */
export function SignInPage() {
  return <main>登录</main>;
}
