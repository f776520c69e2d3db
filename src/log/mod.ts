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
  scrubSecrets,
  setLogLevel,
  setLogSink,
} from "./logger.ts";
export { MASK, redact, type Sensitivity } from "./redact.ts";
export { MIN_SECRET_LENGTH, SecretSet, WITHHELD } from "./secrets.ts";
export { clip, isRecord, preview, PREVIEW_LENGTH, seconds } from "./values.ts";
