/**
 * Exact echo of numeric ids that a JavaScript number cannot hold (above 2^53, or with more
 * digits than a double keeps): the id's text is taken from the line itself.
 *
 * @module
 */

/**
 * A numeric id kept as the text it arrived as.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RawId, idText } from "./raw_id.ts";
 * assert(idText(new RawId("12345678901234567890")) === "12345678901234567890");
 * ```
 */
export class RawId {
  /** The number's JSON text, exactly as received. */
  readonly text: string;

  /** Wraps a JSON number token. */
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * The JSON text of an id: a RawId as it arrived, anything else as JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idText } from "./raw_id.ts";
 * assert(idText("a") === '"a"' && idText(7) === "7" && idText(null) === "null");
 * ```
 */
export function idText(id: unknown): string {
  return id instanceof RawId ? id.text : JSON.stringify(id ?? null);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\r\n]*/y;

/**
 * The text of the number that member `key` of the top-level object in `json` holds, or
 * undefined. A small scanner: strings are skipped whole, so a `"key"` inside a value or a
 * nested object is not mistaken for the member.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topLevelNumber } from "./raw_id.ts";
 * const line = '{"params":{"id":1},"note":"\\"id\\":2","id":9007199254740993}';
 * assert(topLevelNumber(line, "id") === "9007199254740993");
 * ```
 */
export function topLevelNumber(json: string, key: string): string | undefined {
  return memberNumbers(json, key, 1)[0];
}

/**
 * For a JSON array of objects (a batch), the text of the number that member `key` of each
 * element holds, by element index; undefined where there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchNumbers } from "./raw_id.ts";
 * const batch = '[{"id":9007199254740993},7,{"id":"a"},{"x":{"id":1},"id":9007199254740995}]';
 * assert.deepEqual(batchNumbers(batch, "id"), ["9007199254740993", undefined, undefined, "9007199254740995"]);
 * ```
 */
export function batchNumbers(json: string, key: string): (string | undefined)[] {
  return memberNumbers(json, key, 2);
}

/** The number texts of member `key` of the objects that open at `depth`, by element. */
function memberNumbers(json: string, key: string, depth: number): (string | undefined)[] {
  const wanted = JSON.stringify(key);
  const found: (string | undefined)[] = [];
  let level = 0;
  let element = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const start = i;
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === "\\") i++;
      if (level === depth && expectKey && json.slice(start, i + 1) === wanted) {
        SPACE.lastIndex = i + 1;
        SPACE.exec(json);
        if (json[SPACE.lastIndex] !== ":") continue;
        SPACE.lastIndex++;
        SPACE.exec(json);
        NUMBER.lastIndex = SPACE.lastIndex;
        const match = NUMBER.exec(json);
        if (match) found[element] = match[0];
      }
      expectKey = false;
    } else if (c === "{" || c === "[") {
      level++;
      expectKey = c === "{" && level === depth;
    } else if (c === "}" || c === "]") {
      level--;
    } else if (c === ",") {
      if (level === depth) expectKey = true;
      else if (level === depth - 1) element++;
    }
  }
  return Array.from(found);
}
