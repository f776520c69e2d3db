/**
 * JSON-RPC 2.0 error objects, as they travel on the wire.
 *
 * @module
 */

/**
 * Extra data of an error; Galaxy always finds `internal_type` in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ErrorData } from "./errors.ts";
 * const data: ErrorData = { retryAfterSeconds: 30 };
 * assert(data.retryAfterSeconds === 30);
 * ```
 */
export type ErrorData = Record<string, unknown>;

/**
 * The `error` member of a JSON-RPC response.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WireError } from "./errors.ts";
 * const error: WireError = { code: 4, message: "Backend error", data: { internal_type: "BackendError" } };
 * assert(error.code === 4);
 * ```
 */
export interface WireError {
  /** The numeric error code. */
  code: number;
  /** A short description. */
  message: string;
  /** Extra data; always carries `internal_type`. */
  data: ErrorData;
}

/**
 * Base of every error that can be answered to Galaxy.
 *
 * `internalType` is kept as an explicit string, not taken from the class name, because a
 * minified bundle renames classes while Galaxy reads `data.internal_type`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonRpcError } from "./errors.ts";
 * const error = new JsonRpcError(42, "Answer", { hint: "x" }, "Custom");
 * assert(error.toWire().data.internal_type === "Custom");
 * ```
 */
export class JsonRpcError extends Error {
  /** The numeric error code. */
  readonly code: number;
  /** Extra data sent in `error.data`, without `internal_type`. */
  readonly data: ErrorData;
  /** The name Galaxy sees in `data.internal_type`. */
  readonly internalType: string;

  /** Creates an error with the given code, message, extra data and internal type name. */
  constructor(code: number, message: string, data?: ErrorData, internalType = "JsonRpcError") {
    super(message);
    this.name = internalType;
    this.code = code;
    this.data = data ?? {};
    this.internalType = internalType;
  }

  /** The error as the `error` member of a response. */
  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      data: { ...this.data, internal_type: this.internalType },
    };
  }
}

/**
 * The constructor shape shared by every predefined error class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ErrorClass, ParseError } from "./errors.ts";
 * const Class: ErrorClass = ParseError;
 * assert(new Class().message === Class.defaultMessage);
 * ```
 */
export interface ErrorClass<E extends JsonRpcError = JsonRpcError> {
  /** Creates the error, with the class's default message unless one is given. */
  new (message?: string, data?: ErrorData): E;
  /** The code every instance carries. */
  readonly code: number;
  /** The message used when none is given. */
  readonly defaultMessage: string;
}

/**
 * Makes an error class with a fixed code, default message and internal type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineError, JsonRpcError } from "./errors.ts";
 * const Teapot = defineError(JsonRpcError, 418, "I'm a teapot", "Teapot");
 * assert(new Teapot().code === 418);
 * ```
 */
export function defineError<E extends JsonRpcError>(
  base: new (code: number, message: string, data?: ErrorData, internalType?: string) => E,
  code: number,
  defaultMessage: string,
  internalType: string,
): ErrorClass<E> {
  const Class = class extends (base as new (
    code: number,
    message: string,
    data?: ErrorData,
    internalType?: string,
  ) => JsonRpcError) {
    static readonly code = code;
    static readonly defaultMessage = defaultMessage;
    constructor(message: string = defaultMessage, data?: ErrorData) {
      super(code, message, data, internalType);
    }
  };
  Object.defineProperty(Class, "name", { value: internalType });
  return Class as unknown as ErrorClass<E>;
}

/**
 * -32700: the line is not valid JSON (or not valid UTF-8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ParseError } from "./errors.ts";
 * assert(new ParseError().code === -32700);
 * ```
 */
export const ParseError: ErrorClass = defineError(
  JsonRpcError,
  -32700,
  "Parse error",
  "ParseError",
);

/**
 * -32600: valid JSON that is not a JSON-RPC 2.0 message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidRequest } from "./errors.ts";
 * assert(new InvalidRequest().code === -32600);
 * ```
 */
export const InvalidRequest: ErrorClass = defineError(
  JsonRpcError,
  -32600,
  "Invalid Request",
  "InvalidRequest",
);

/**
 * -32601: no handler for the method, or the integration does not implement it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MethodNotFound } from "./errors.ts";
 * assert(new MethodNotFound().code === -32601);
 * ```
 */
export const MethodNotFound: ErrorClass = defineError(
  JsonRpcError,
  -32601,
  "Method not found",
  "MethodNotFound",
);

/**
 * -32602: missing, extra or wrongly typed parameters; `data.issues` says which.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidParams } from "./errors.ts";
 * assert(new InvalidParams().code === -32602);
 * ```
 */
export const InvalidParams: ErrorClass = defineError(
  JsonRpcError,
  -32602,
  "Invalid params",
  "InvalidParams",
);

/**
 * -32000: the method did not finish in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Timeout } from "./errors.ts";
 * assert(new Timeout().code === -32000);
 * ```
 */
export const Timeout: ErrorClass = defineError(JsonRpcError, -32000, "Method timed out", "Timeout");

/**
 * -32001: the method was cancelled, because the integration is shutting down.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Aborted } from "./errors.ts";
 * assert(new Aborted().code === -32001);
 * ```
 */
export const Aborted: ErrorClass = defineError(JsonRpcError, -32001, "Method aborted", "Aborted");
