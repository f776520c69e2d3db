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
export { serve, type ServeOptions, SHUTDOWN_TIMEOUT_MS } from "./session.ts";
export { ExitCode, type PluginClass, runPlugin, runPluginToEnd } from "./run.ts";
export { IMPORTS } from "./importer.ts";
