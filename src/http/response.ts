/**
 * A response read whole (within the size limit), with JSON checked against a schema.
 *
 * @module
 */
import { type ApplicationError, UnknownBackendResponse } from "../protocol/mod.ts";
import { errorForStatus } from "./errors.ts";
import { concatBytes } from "../wire/mod.ts";

/**
 * A schema that checks parsed JSON: any [Standard Schema](https://standardschema.dev)
 * (valibot, zod, arktype…), described here by the part of it this module uses. Only
 * synchronous schemas are supported.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { HttpResponse, type Schema } from "@galaxy-ts/runtime/http";
 * const schema: Schema<{ id: number }> = v.object({ id: v.number() });
 * const response = new HttpResponse(200, "OK", new Headers(), new TextEncoder().encode('{"id":7}'), "GET /");
 * assert.equal(response.json(schema).id, 7);
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
 * import { type SchemaResult } from "@galaxy-ts/runtime/http";
 * import * as v from "valibot";
 * const result = v.object({ id: v.number() })["~standard"].validate({ id: "7" }) as SchemaResult<unknown>;
 * assert.equal(result.issues?.length, 1);
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
 * import { HttpResponse, type SchemaIssue } from "@galaxy-ts/runtime/http";
 * // A schema's issues name where the JSON differs; the client's message repeats the path.
 * const issue: SchemaIssue = { message: "Invalid type", path: ["user", { key: "id" }] };
 * const schema = { "~standard": { version: 1 as const, vendor: "demo", validate: () => ({ issues: [issue] }) } };
 * const response = new HttpResponse(200, "OK", new Headers(), new TextEncoder().encode("{}"), "GET /me");
 * assert.throws(() => response.json(schema), /unexpected JSON at user\.id/);
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
 * import * as v from "valibot";
 * import { type SchemaOutput } from "@galaxy-ts/runtime/http";
 * const Game = v.object({ id: v.string(), title: v.string() });
 * // The type of what `getJson(url, Game)` resolves with, for the author's own functions:
 * const label = (game: SchemaOutput<typeof Game>) => `${game.title} (${game.id})`;
 * assert.equal(label(v.parse(Game, { id: "1", title: "One" })), "One (1)");
 * ```
 */
export type SchemaOutput<S extends Schema> = NonNullable<S["~standard"]["types"]>["output"];

const decoder = new TextDecoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * A response whose body has been read, so that the request's timeout, concurrency slot and
 * size limit covered all of it. The client resolves with a 2xx one, or with any status when
 * the request was made with `throwForStatus: false`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { HttpResponse } from "@galaxy-ts/runtime/http";
 * const body = new TextEncoder().encode('{"id":7}');
 * const response = new HttpResponse(200, "OK", new Headers(), body, "GET /me");
 * assert(response.ok);
 * assert.equal(response.json(v.object({ id: v.number() })).id, 7);
 * ```
 */
export class HttpResponse {
  /** The status code. */
  readonly status: number;
  /** The status text. */
  readonly statusText: string;
  /** The response headers. */
  readonly headers: Headers;
  /** The body's bytes, decoded from gzip, br or deflate. */
  readonly body: Uint8Array;
  /** Method and URL (without secrets), for messages. */
  readonly request: string;

  /**
   * Wraps a response that has been read; the client makes these.
   *
   * @param status The status code.
   * @param statusText The status text.
   * @param headers The response headers.
   * @param body The body's bytes.
   * @param request Method and URL without secrets, named in error messages.
   */
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

  /**
   * Whether the status is 2xx.
   *
   * @returns true for 200..299.
   */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /**
   * Throws the Galaxy error of a status that is not 2xx, as the request would have without
   * `throwForStatus: false` (aiohttp's `raise_for_status()`): for an author who looked at
   * the response first.
   *
   * @throws {ApplicationError} The status is not 2xx (AccessDenied for 403, BackendError for
   * 500, the table of `./http`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HttpResponse } from "@galaxy-ts/runtime/http";
   * const response = new HttpResponse(403, "Forbidden", new Headers(), new Uint8Array(), "GET https://api.store.example/me");
   * assert.throws(() => response.throwForStatus(), { name: "AccessDenied", message: /answered 403/ });
   * ```
   */
  throwForStatus(): void {
    if (this.ok) return;
    const space = this.request.indexOf(" ");
    const error: ApplicationError = errorForStatus(this.status, this.statusText, {
      method: this.request.slice(0, space),
      url: this.request.slice(space + 1),
      scrub: (text) => text,
    });
    throw error;
  }

  /**
   * The body as UTF-8 text; bytes that are not UTF-8 become U+FFFD, as in `Response.text()`.
   *
   * @returns The text.
   */
  text(): string {
    return decoder.decode(this.body);
  }

  /**
   * The body parsed as JSON.
   *
   * @returns The parsed value.
   * @throws {UnknownBackendResponse} The body is not UTF-8 or not JSON.
   */
  json(): unknown;
  /**
   * The body parsed as JSON and checked against `schema`; the message of a mismatch says
   * where it differs, never the value (it could be a secret).
   *
   * @param schema Any synchronous Standard Schema (valibot, zod…).
   * @returns The checked value.
   * @throws {UnknownBackendResponse} The body is not UTF-8, not JSON, or not what `schema`
   * describes.
   */
  json<S extends Schema>(schema: S): SchemaOutput<S>;
  json(schema?: Schema): unknown {
    let text: string;
    try {
      text = strictDecoder.decode(this.body);
    } catch {
      // A body that is not UTF-8 is a broken answer, not text to guess at.
      throw new UnknownBackendResponse(`${this.request}: the body is not valid UTF-8`, {
        status: this.status,
      });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
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

/** Decoded bytes are copied into blocks of this size as they arrive (see readLimited). */
const BLOCK = 1024 * 1024;

/**
 * Reads a response's body, refusing more than `limit` bytes of it as the author will see it,
 * that is decoded: an announced Content-Length over the limit is refused before reading, and a body that grows past it is cut off the moment it
 * does, a compression bomb included. `fetch` decodes gzip and br itself; a zlib `deflate`
 * body, which it leaves as it came, is decoded here.
 *
 * Each decoded chunk `fetch` hands over is a few KB that keeps a far larger buffer alive, so
 * holding the chunks cost 12 times the body: the body is read into 1 MiB blocks of its own
 * instead (with a BYOB reader where the stream is a byte stream), and its peak memory stays
 * within about twice its size.
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
  const encoding = (response.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const announced = Number(response.headers.get("content-length") ?? NaN);
  // An encoded body that is already larger than the limit does not shrink by decoding.
  if (announced > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const stream = encoding === "deflate" ? await inflated(response.body) : response.body;
  // Room for one byte past the limit, so that a body that is too large shows itself.
  const blocks = new Blocks(limit + 1);
  let reader: ReadableStreamBYOBReader | ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader({ mode: "byob" });
  } catch {
    reader = stream.getReader();
  }
  try {
    while (true) {
      if (reader instanceof ReadableStreamBYOBReader) {
        // Decoded straight into the block: no chunk of fetch's own to keep or copy.
        const { done, value } = await reader.read(blocks.room());
        if (value) blocks.filled(value);
        if (done) break;
      } else {
        const { done, value } = await reader.read();
        if (done) break;
        blocks.copy(value);
      }
      if (blocks.size > limit) throw tooLarge();
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof UnknownBackendResponse) throw error;
    if (encoding !== "identity" && !/closed|reset|reading a body/i.test(String(error))) {
      // The connection held; the bytes did not decode.
      throw new UnknownBackendResponse(`${request}: the ${encoding} body does not decode`, {
        status: response.status,
      });
    }
    throw error;
  }
  return blocks.bytes();
}

/**
 * A body's bytes in blocks of at most 1 MiB, never more in all than `capacity`: growing
 * one buffer would copy it at every step and hold two at once.
 */
class Blocks {
  size = 0;
  #full: Uint8Array[] = [];
  #block = new Uint8Array(0);
  #used = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Free space of the current block (a new one when it is full). */
  room(): Uint8Array {
    if (this.#used === this.#block.length) {
      if (this.#used > 0) this.#full.push(this.#block);
      this.#block = new Uint8Array(Math.max(1, Math.min(BLOCK, this.#capacity - this.size)));
      this.#used = 0;
    }
    return this.#block.subarray(this.#used);
  }

  /** Takes back the block a BYOB read filled (`value` views its transferred buffer). */
  filled(value: Uint8Array): void {
    this.#block = new Uint8Array(value.buffer as ArrayBuffer);
    this.#used += value.length;
    this.size += value.length;
  }

  /** Copies a chunk in, as far as the capacity goes (past it, the size alone counts). */
  copy(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length && this.size < this.#capacity) {
      const room = this.room();
      const n = Math.min(room.length, chunk.length - offset);
      room.set(chunk.subarray(offset, offset + n));
      this.#used += n;
      this.size += n;
      offset += n;
    }
    this.size += chunk.length - offset;
  }

  bytes(): Uint8Array {
    const blocks = [...this.#full, this.#block.subarray(0, this.#used)];
    return blocks.length === 1 ? blocks[0] : concatBytes(blocks, this.size);
  }
}

/**
 * A `deflate` body decoded, when it starts as zlib data does (RFC 1950: method 8 and a
 * header checksum); a body that does not is taken as it is, since some servers send plain
 * bytes under that name.
 */
async function inflated(body: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const reader = body.getReader();
  const first = await reader.read();
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(first.value);
      else controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const head = first.value;
  const zlib = head !== undefined && head.length >= 2 && (head[0] & 0x0f) === 8 &&
    ((head[0] << 8) | head[1]) % 31 === 0;
  if (!zlib) return rest;
  // DecompressionStream inflates a whole chunk at once, and deflate inflates up to about
  // 1000 times: fed 1 KiB at a time, it never makes more than about 1 MiB in one go.
  const slices = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let i = 0; i < chunk.length; i += 1024) controller.enqueue(chunk.subarray(i, i + 1024));
    },
  });
  return rest.pipeThrough(slices).pipeThrough(
    new DecompressionStream("deflate") as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}
