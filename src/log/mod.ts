/**
 * Logging for integrations: a leveled stderr logger and redaction of secrets.
 *
 * @module
 */
export {
  addSecrets,
  type AddSecretsOptions,
  describeError,
  getLogger,
  Logger,
  LogLevel,
  type LogSink,
  parseLevel,
  setLogLevel,
  setLogSink,
} from "./logger.ts";
export { MASK, redact, SecretSet, type SecretSetOptions, type Sensitivity } from "./redact.ts";
