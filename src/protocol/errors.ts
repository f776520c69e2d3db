/**
 * Galaxy's application errors. Throw one from a handler and Galaxy receives its code; a
 * plain exception reaches Galaxy as {@linkcode UnknownError}.
 *
 * Each is a real class: catch it with `instanceof`, name it as a type, give it a `cause`,
 * or subclass it. A subclass keeps the code of the class it extends and is known to Galaxy
 * by its own name (`data.internal_type`): `class RegionLocked extends BackendError {}`
 * reaches Galaxy as code 4, "RegionLocked". A minified bundle renames classes, so a
 * subclass that must keep its name there declares it: `static override readonly
 * internalType = "RegionLocked"` (the built-in classes all do).
 *
 * @module
 */
import { type ErrorData, JsonRpcError, type WireError } from "../wire/mod.ts";

/** What a class tells {@linkcode ApplicationError} about its instances. */
interface ErrorStatics {
  readonly code?: number;
  readonly defaultMessage?: string;
  readonly internalType?: string;
  readonly name: string;
}

/**
 * The name Galaxy sees for an instance of `Class`: its own declared `internalType`, else
 * its class name (an author's subclass that declares none).
 */
function internalTypeOf(Class: ErrorStatics): string {
  return Object.hasOwn(Class, "internalType") && Class.internalType
    ? Class.internalType
    : Class.name;
}

/**
 * Base of Galaxy's application errors; codes in -32768..-32000 are JSON-RPC's own and are
 * refused. Subclass it for an error of your own code; Galaxy sees the subclass's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ApplicationError } from "@galaxy-ts/runtime";
 * const error = new ApplicationError(7, "Region locked", { region: "EU" });
 * assert(error.toWire().data.internal_type === "ApplicationError");
 * class RegionLocked extends ApplicationError {}
 * assert(new RegionLocked(7, "Region locked").toWire().data.internal_type === "RegionLocked");
 * ```
 */
export class ApplicationError extends JsonRpcError {
  /** The name Galaxy sees for instances of this very class. */
  static readonly internalType: string = "ApplicationError";

  /**
   * Creates an error with a code outside JSON-RPC's reserved range.
   *
   * @param code The error code Galaxy receives.
   * @param message What went wrong.
   * @param data Extra members of the error's `data`.
   * @param options `cause`: the error that led to this one (kept for logs, never sent).
   * @throws {RangeError} when `code` is in -32768..-32000.
   */
  constructor(code: number, message: string, data?: ErrorData, options?: ErrorOptions) {
    if (code >= -32768 && code <= -32000) {
      throw new RangeError(`Error code ${code} is in JSON-RPC's reserved range -32768..-32000`);
    }
    super(code, message, data, internalTypeOf(new.target));
    if (options && "cause" in options) this.cause = options.cause;
  }
}

/**
 * Base of the errors with a fixed code (every class below): `new BackendError()`,
 * `new BackendError("Store is down", { status: 503 }, { cause })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendError, GalaxyError } from "@galaxy-ts/runtime";
 * const error = new BackendError("down", {}, { cause: new Error("503") });
 * assert(error instanceof GalaxyError && error.code === 4);
 * assert((error.cause as Error).message === "503");
 * ```
 */
export class GalaxyError extends ApplicationError {
  /** The code every instance carries. */
  static readonly code: number = 0;
  /** The message used when none is given. */
  static readonly defaultMessage: string = "Unknown error";
  /** The name Galaxy sees for instances of this very class. */
  static override readonly internalType: string = "GalaxyError";

  /**
   * Creates the error with its class's code.
   *
   * @param message What went wrong; the class's default message when left out.
   * @param data Extra members of the error's `data`.
   * @param options `cause`: the error that led to this one (kept for logs, never sent).
   */
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    const Class = new.target as unknown as { code: number; defaultMessage: string };
    super(Class.code, message ?? Class.defaultMessage, data, options);
  }
}

/**
 * 0: Anything an integration throws that is not a Galaxy error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownError } from "@galaxy-ts/runtime";
 * assert(new UnknownError().code === 0);
 * ```
 */
export class UnknownError extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 0;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Unknown error";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "UnknownError";
}

/**
 * 1: The user must log in (again) before this can be done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuthenticationRequired } from "@galaxy-ts/runtime";
 * assert(new AuthenticationRequired().code === 1);
 * ```
 */
export class AuthenticationRequired extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 1;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Authentication required";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "AuthenticationRequired";
}

/**
 * 2: The store's servers cannot be reached or refuse service.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendNotAvailable } from "@galaxy-ts/runtime";
 * assert(new BackendNotAvailable().code === 2);
 * ```
 */
export class BackendNotAvailable extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 2;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Backend not available";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "BackendNotAvailable";
}

/**
 * 3: The store's servers did not answer in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendTimeout } from "@galaxy-ts/runtime";
 * assert(new BackendTimeout().code === 3);
 * ```
 */
export class BackendTimeout extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 3;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Backend timed out";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "BackendTimeout";
}

/**
 * 4: The store's servers answered with an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendError } from "@galaxy-ts/runtime";
 * assert(new BackendError().code === 4);
 * ```
 */
export class BackendError extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 4;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Backend error";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "BackendError";
}

/**
 * 5: The store rate-limits the user.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TooManyRequests } from "@galaxy-ts/runtime";
 * assert(new TooManyRequests().code === 5);
 * ```
 */
export class TooManyRequests extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 5;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Too many requests. Try again later";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "TooManyRequests";
}

/**
 * 6: The store answered something the integration does not understand.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownBackendResponse } from "@galaxy-ts/runtime";
 * assert(new UnknownBackendResponse().code === 6);
 * ```
 */
export class UnknownBackendResponse extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 6;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Backend responded in unknown way";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "UnknownBackendResponse";
}

/**
 * 100: Stored or entered credentials are wrong or expired.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidCredentials } from "@galaxy-ts/runtime";
 * assert(new InvalidCredentials().code === 100);
 * ```
 */
export class InvalidCredentials extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 100;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Invalid credentials";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "InvalidCredentials";
}

/**
 * 101: The machine has no working network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkError } from "@galaxy-ts/runtime";
 * assert(new NetworkError().code === 101);
 * ```
 */
export class NetworkError extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 101;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Network error";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "NetworkError";
}

/**
 * 103: The store broke its own protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolError } from "@galaxy-ts/runtime";
 * assert(new ProtocolError().code === 103);
 * ```
 */
export class ProtocolError extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 103;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Protocol error";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "ProtocolError";
}

/**
 * 104: The store blocked the account for a while.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TemporaryBlocked } from "@galaxy-ts/runtime";
 * assert(new TemporaryBlocked().code === 104);
 * ```
 */
export class TemporaryBlocked extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 104;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Temporary blocked";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "TemporaryBlocked";
}

/**
 * 105: The store banned the account.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Banned } from "@galaxy-ts/runtime";
 * assert(new Banned().code === 105);
 * ```
 */
export class Banned extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 105;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Banned";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "Banned";
}

/**
 * 106: The account may not do this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccessDenied } from "@galaxy-ts/runtime";
 * assert(new AccessDenied().code === 106);
 * ```
 */
export class AccessDenied extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 106;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Access denied";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "AccessDenied";
}

/**
 * 200: The integration's manifest cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FailedParsingManifest } from "@galaxy-ts/runtime";
 * assert(new FailedParsingManifest().code === 200);
 * ```
 */
export class FailedParsingManifest extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 200;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Failed parsing manifest";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "FailedParsingManifest";
}

/**
 * 300: Chat: too many messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TooManyMessagesSent } from "@galaxy-ts/runtime";
 * assert(new TooManyMessagesSent().code === 300);
 * ```
 */
export class TooManyMessagesSent extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 300;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Too many messages sent";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "TooManyMessagesSent";
}

/**
 * 400: Chat: the last message ids differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IncoherentLastMessage } from "@galaxy-ts/runtime";
 * assert(new IncoherentLastMessage().code === 400);
 * ```
 */
export class IncoherentLastMessage extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 400;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Different last message id on backend";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "IncoherentLastMessage";
}

/**
 * 500: Chat: no such message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageNotFound } from "@galaxy-ts/runtime";
 * assert(new MessageNotFound().code === 500);
 * ```
 */
export class MessageNotFound extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 500;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Message not found";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "MessageNotFound";
}

/**
 * 600: The same import is already running.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ImportInProgress } from "@galaxy-ts/runtime";
 * assert(new ImportInProgress().code === 600);
 * ```
 */
export class ImportInProgress extends GalaxyError {
  /** The code every instance carries. */
  static override readonly code: number = 600;
  /** The message used when none is given. */
  static override readonly defaultMessage: string = "Import already in progress";
  /** The name Galaxy sees. */
  static override readonly internalType: string = "ImportInProgress";
}

const BY_CODE = new Map<number, typeof GalaxyError>([
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
].map(([code, Class]) => [code as number, Class as typeof GalaxyError]));

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
