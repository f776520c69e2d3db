/**
 * JSON-RPC 2.0 over a newline-delimited byte stream.
 *
 * @module
 */
export {
  AnswerThen,
  Connection,
  type ConnectionOptions,
  type MethodSpec,
  type NotificationSpec,
  type Transport,
  type WireLogger,
} from "./connection.ts";
export { type Params, type RequestId } from "./input.ts";
export { type Sensitivity } from "../log/mod.ts";
export {
  Aborted,
  defineError,
  type ErrorClass,
  type ErrorData,
  InvalidParams,
  InvalidRequest,
  JsonRpcError,
  MethodNotFound,
  ParseError,
  Timeout,
  type WireError,
} from "./errors.ts";
export { concatBytes } from "./bytes.ts";
export { type ByteReader, readLines } from "./line_reader.ts";
export { idText, RawId, topLevelNumber } from "./raw_id.ts";
// The one plain-object check, and values as log lines show them, for the folders that may
// import wire but not log (protocol, testing).
export { clip, isRecord, preview, seconds } from "../log/mod.ts";
