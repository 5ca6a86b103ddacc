/** Shared between the server and the app: once set, readiness fails and connections are not kept alive. */
export interface Lifecycle {
  shuttingDown: boolean;
}
