/**
 * A response read whole (within the size limit), with JSON checked against a schema.
 *
 * @module
 */
import { UnknownBackendResponse } from "../protocol/mod.ts";
import { concatBytes } from "../wire/mod.ts";

/**
 * A schema that checks parsed JSON: any [Standard Schema](https://standardschema.dev)
 * (valibot, zod, arktype…), described here by the part of it this module uses. Only
 * synchronous schemas are supported.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "npm:valibot@^1.2.0";
 * import { type Schema } from "./response.ts";
 * const schema: Schema<{ id: number }> = v.object({ id: v.number() });
 * assert(schema["~standard"].vendor === "valibot");
 * ```
 */
export interface Schema<Output = unknown> {
  /** The Standard Schema interface. */
  readonly "~standard": {
    /** The Standard Schema version, 1. */
    readonly version: 1;
    /** The library that made the schema. */
    readonly vendor: string;
    /** Checks a value. */
    readonly validate: (
      value: unknown,
    ) => SchemaResult<Output> | Promise<SchemaResult<Output>>;
    /** Carries the output type (types only). */
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/**
 * What a {@linkcode Schema} says about a value: the checked value, or the issues.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type SchemaResult } from "./response.ts";
 * const ok: SchemaResult<number> = { value: 7 };
 * const bad: SchemaResult<number> = { issues: [{ message: "not a number" }] };
 * assert(!ok.issues && bad.issues?.length === 1);
 * ```
 */
export type SchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<SchemaIssue> };

/**
 * One problem a {@linkcode Schema} found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type SchemaIssue } from "./response.ts";
 * const issue: SchemaIssue = { message: "Invalid type", path: ["user", { key: "id" }] };
 * assert(issue.path?.length === 2);
 * ```
 */
export interface SchemaIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where: keys from the root, plain or as `{ key }` segments. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * The type a {@linkcode Schema} produces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "npm:valibot@^1.2.0";
 * import { type SchemaOutput } from "./response.ts";
 * const schema = v.object({ id: v.number() });
 * const me: SchemaOutput<typeof schema> = { id: 7 };
 * assert(me.id === 7);
 * ```
 */
export type SchemaOutput<S extends Schema> = NonNullable<S["~standard"]["types"]>["output"];

const decoder = new TextDecoder();

/**
 * A successful (2xx) response whose body has been read, so that the request's timeout,
 * concurrency slot and size limit covered all of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "npm:valibot@^1.2.0";
 * import { HttpResponse } from "./response.ts";
 * const response = new HttpResponse(200, "OK", new Headers(), new TextEncoder().encode('{"id":7}'), "GET /me");
 * const me = response.json(v.object({ id: v.number() }));
 * assert(me.id === 7);
 * ```
 */
export class HttpResponse {
  /** The status code. */
  readonly status: number;
  /** The status text. */
  readonly statusText: string;
  /** The response headers. */
  readonly headers: Headers;
  /** The body's bytes. */
  readonly body: Uint8Array;
  /** Method and URL (without secrets), for messages. */
  readonly request: string;

  /** Wraps a response that has been read; the client makes these. */
  constructor(
    status: number,
    statusText: string,
    headers: Headers,
    body: Uint8Array,
    request: string,
  ) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.body = body;
    this.request = request;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return decoder.decode(this.body);
  }

  /**
   * The body parsed as JSON, and checked against `schema` when one is given. A body that is
   * not JSON, or not the JSON the schema describes, is {@linkcode UnknownBackendResponse},
   * whose message says where it differs (never the value, which could be a secret).
   */
  json(): unknown;
  /** The body parsed as JSON and checked against `schema`. */
  json<S extends Schema>(schema: S): SchemaOutput<S>;
  json(schema?: Schema): unknown {
    let value: unknown;
    try {
      value = JSON.parse(this.text());
    } catch {
      throw new UnknownBackendResponse(`${this.request}: the body is not JSON`, {
        status: this.status,
      });
    }
    if (!schema) return value;
    const result = schema["~standard"].validate(value);
    if (result instanceof Promise) throw new TypeError("asynchronous schemas are not supported");
    if (!result.issues) return result.value;
    const issue = result.issues[0];
    const where = issue.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".");
    // Validators quote the value they received; it could be a secret, so it is cut off.
    const what = issue.message.replace(/,?\s*(but )?received\b.*$/is, "");
    throw new UnknownBackendResponse(
      `${this.request}: unexpected JSON at ${where || "(root)"}: ${what}`,
      { status: this.status },
    );
  }
}

/**
 * Reads a response's body, refusing more than `limit` bytes: an announced Content-Length over
 * the limit is refused before reading, and a body that grows past it is cut off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLimited } from "./response.ts";
 * const bytes = await readLimited(new Response("hello"), 10, "GET /");
 * assert(bytes.length === 5);
 * ```
 */
export async function readLimited(
  response: Response,
  limit: number,
  request: string,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new UnknownBackendResponse(`${request}: the response is larger than ${limit} bytes`, {
      status: response.status,
    });
  const announced = Number(response.headers.get("content-length") ?? NaN);
  if (announced > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
}
