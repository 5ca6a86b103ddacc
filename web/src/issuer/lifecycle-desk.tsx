/** Placeholder until this desk lands. */
export default function Desk() {
  return <h1>证照管理</h1>;
}
