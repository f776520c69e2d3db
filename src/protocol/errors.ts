/**
 * Galaxy's application errors. Throw one from a handler and Galaxy receives its code; a
 * plain exception reaches Galaxy as {@linkcode UnknownError}.
 *
 * @module
 */
import {
  defineError,
  type ErrorClass,
  type ErrorData,
  JsonRpcError,
  type WireError,
} from "../wire/mod.ts";

/**
 * Base of Galaxy's application errors; codes in -32768..-32000 are JSON-RPC's own and are
 * refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ApplicationError } from "./errors.ts";
 * const error = new ApplicationError(7, "Region locked", { region: "EU" });
 * assert(error.toWire().data.internal_type === "ApplicationError");
 * ```
 */
export class ApplicationError extends JsonRpcError {
  /** Creates an error with a code outside JSON-RPC's reserved range. */
  constructor(code: number, message: string, data?: ErrorData, internalType = "ApplicationError") {
    if (code >= -32768 && code <= -32000) {
      throw new RangeError(`Error code ${code} is in JSON-RPC's reserved range -32768..-32000`);
    }
    super(code, message, data, internalType);
  }
}

/**
 * 0: Anything an integration throws that is not a Galaxy error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownError } from "./errors.ts";
 * assert(new UnknownError().code === 0);
 * ```
 */
export const UnknownError: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  0,
  "Unknown error",
  "UnknownError",
);

/**
 * 1: The user must log in (again) before this can be done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuthenticationRequired } from "./errors.ts";
 * assert(new AuthenticationRequired().code === 1);
 * ```
 */
export const AuthenticationRequired: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  1,
  "Authentication required",
  "AuthenticationRequired",
);

/**
 * 2: The store's servers cannot be reached or refuse service.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendNotAvailable } from "./errors.ts";
 * assert(new BackendNotAvailable().code === 2);
 * ```
 */
export const BackendNotAvailable: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  2,
  "Backend not available",
  "BackendNotAvailable",
);

/**
 * 3: The store's servers did not answer in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendTimeout } from "./errors.ts";
 * assert(new BackendTimeout().code === 3);
 * ```
 */
export const BackendTimeout: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  3,
  "Backend timed out",
  "BackendTimeout",
);

/**
 * 4: The store's servers answered with an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendError } from "./errors.ts";
 * assert(new BackendError().code === 4);
 * ```
 */
export const BackendError: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  4,
  "Backend error",
  "BackendError",
);

/**
 * 5: The store rate-limits the user.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TooManyRequests } from "./errors.ts";
 * assert(new TooManyRequests().code === 5);
 * ```
 */
export const TooManyRequests: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  5,
  "Too many requests. Try again later",
  "TooManyRequests",
);

/**
 * 6: The store answered something the integration does not understand.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownBackendResponse } from "./errors.ts";
 * assert(new UnknownBackendResponse().code === 6);
 * ```
 */
export const UnknownBackendResponse: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  6,
  "Backend responded in unknown way",
  "UnknownBackendResponse",
);

/**
 * 100: Stored or entered credentials are wrong or expired.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidCredentials } from "./errors.ts";
 * assert(new InvalidCredentials().code === 100);
 * ```
 */
export const InvalidCredentials: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  100,
  "Invalid credentials",
  "InvalidCredentials",
);

/**
 * 101: The machine has no working network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkError } from "./errors.ts";
 * assert(new NetworkError().code === 101);
 * ```
 */
export const NetworkError: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  101,
  "Network error",
  "NetworkError",
);

/**
 * 103: The store broke its own protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolError } from "./errors.ts";
 * assert(new ProtocolError().code === 103);
 * ```
 */
export const ProtocolError: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  103,
  "Protocol error",
  "ProtocolError",
);

/**
 * 104: The store blocked the account for a while.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TemporaryBlocked } from "./errors.ts";
 * assert(new TemporaryBlocked().code === 104);
 * ```
 */
export const TemporaryBlocked: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  104,
  "Temporary blocked",
  "TemporaryBlocked",
);

/**
 * 105: The store banned the account.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Banned } from "./errors.ts";
 * assert(new Banned().code === 105);
 * ```
 */
export const Banned: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  105,
  "Banned",
  "Banned",
);

/**
 * 106: The account may not do this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccessDenied } from "./errors.ts";
 * assert(new AccessDenied().code === 106);
 * ```
 */
export const AccessDenied: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  106,
  "Access denied",
  "AccessDenied",
);

/**
 * 200: The integration's manifest cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FailedParsingManifest } from "./errors.ts";
 * assert(new FailedParsingManifest().code === 200);
 * ```
 */
export const FailedParsingManifest: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  200,
  "Failed parsing manifest",
  "FailedParsingManifest",
);

/**
 * 300: Chat: too many messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TooManyMessagesSent } from "./errors.ts";
 * assert(new TooManyMessagesSent().code === 300);
 * ```
 */
export const TooManyMessagesSent: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  300,
  "Too many messages sent",
  "TooManyMessagesSent",
);

/**
 * 400: Chat: the last message ids differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IncoherentLastMessage } from "./errors.ts";
 * assert(new IncoherentLastMessage().code === 400);
 * ```
 */
export const IncoherentLastMessage: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  400,
  "Different last message id on backend",
  "IncoherentLastMessage",
);

/**
 * 500: Chat: no such message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageNotFound } from "./errors.ts";
 * assert(new MessageNotFound().code === 500);
 * ```
 */
export const MessageNotFound: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  500,
  "Message not found",
  "MessageNotFound",
);

/**
 * 600: The same import is already running.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ImportInProgress } from "./errors.ts";
 * assert(new ImportInProgress().code === 600);
 * ```
 */
export const ImportInProgress: ErrorClass<ApplicationError> = defineError(
  ApplicationError,
  600,
  "Import already in progress",
  "ImportInProgress",
);

const BY_CODE = new Map<number, ErrorClass<ApplicationError>>([
  [0, UnknownError],
  [1, AuthenticationRequired],
  [2, BackendNotAvailable],
  [3, BackendTimeout],
  [4, BackendError],
  [5, TooManyRequests],
  [6, UnknownBackendResponse],
  [100, InvalidCredentials],
  [101, NetworkError],
  [103, ProtocolError],
  [104, TemporaryBlocked],
  [105, Banned],
  [106, AccessDenied],
  [200, FailedParsingManifest],
  [300, TooManyMessagesSent],
  [400, IncoherentLastMessage],
  [500, MessageNotFound],
  [600, ImportInProgress],
].map(([code, Class]) => [code as number, Class as ErrorClass<ApplicationError>]));

/**
 * Rebuilds an error received on the wire (Galaxy's answer to one of our requests) as the
 * matching class, so that `instanceof` works on it and it can be answered on unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendError, errorFromWire } from "./errors.ts";
 * const error = errorFromWire({ code: 4, message: "down", data: {} });
 * assert(error instanceof BackendError && error.message === "down");
 * ```
 */
export function errorFromWire(wire: WireError): JsonRpcError {
  const { internal_type: internalType, ...data } = wire.data;
  const Class = BY_CODE.get(wire.code);
  if (Class) return new Class(wire.message || Class.defaultMessage, data);
  return new JsonRpcError(
    wire.code,
    wire.message,
    data,
    typeof internalType === "string" ? internalType : "JsonRpcError",
  );
}
