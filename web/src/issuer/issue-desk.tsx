/** Placeholder until this desk lands. */
export default function Desk() {
  return <h1>签发证照</h1>;
}
