/**
 * The Plugin base class, the session that serves it, and the process entry point.
 *
 * @module
 */
export {
  type AuthenticationResult,
  type BrowserCookie,
  type Credentials,
  Plugin,
} from "./plugin.ts";
export { GALAXY_STOP_WAIT_MS, serve, type ServeOptions, SHUTDOWN_TIMEOUT_MS } from "./session.ts";
export { type TaskBody } from "./tasks.ts";
export { ExitCode, type PluginClass, type RunOptions, runPlugin, runPluginToEnd } from "./run.ts";
export { endWhen, LIFELINE_MARKER, lifelineCut } from "./lifeline.ts";
export { IMPORTS } from "./importer.ts";
