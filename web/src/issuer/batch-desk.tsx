/** Placeholder until this desk lands. */
export default function Desk() {
  return <h1>批量签发</h1>;
}
