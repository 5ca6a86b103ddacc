/** Placeholder until this desk lands. */
export default function Desk() {
  return <h1>窗口办件</h1>;
}
