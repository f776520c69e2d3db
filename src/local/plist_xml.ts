/**
 * XML property lists (Apple's `PropertyList-1.0.dtd`): a small reader of just the XML that
 * format uses — a prolog, a doctype, comments, elements without attributes that matter,
 * character data with the five entities, numeric references and CDATA.
 *
 * @module
 */
import { integer, type PlistDict, PlistError, type PlistValue, setKey } from "./plist_value.ts";

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    const line = this.text.slice(0, this.pos).split("\n").length;
    throw new PlistError(`XML plist, line ${line}: ${message}`);
  }

  /** Skips whitespace, comments and processing instructions. */
  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const space = /^\s+/.exec(rest);
      if (space) {
        this.pos += space[0].length;
      } else if (rest.startsWith("<!--")) {
        const end = this.text.indexOf("-->", this.pos + 4);
        if (end < 0) this.fail("a comment is not closed");
        this.pos = end + 3;
      } else if (rest.startsWith("<?")) {
        const end = this.text.indexOf("?>", this.pos + 2);
        if (end < 0) this.fail("a processing instruction is not closed");
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  skipDoctype(): void {
    if (!this.text.startsWith("<!DOCTYPE", this.pos)) return;
    let depth = 0;
    for (let i = this.pos; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "[") depth++;
      else if (c === "]") depth--;
      else if (c === ">" && depth === 0) {
        this.pos = i + 1;
        return;
      }
    }
    this.fail("the DOCTYPE is not closed");
  }

  /** Reads `<name …>` or `<name …/>`. */
  open(): { name: string; empty: boolean } {
    const match = /^<([A-Za-z_][\w.-]*)(?:\s[^>]*?)?(\/?)>/.exec(this.text.slice(this.pos));
    if (!match) {
      this.fail(
        `expected an element, found ${JSON.stringify(this.text.slice(this.pos, this.pos + 20))}`,
      );
    }
    this.pos += match[0].length;
    return { name: match[1], empty: match[2] === "/" };
  }

  close(name: string): void {
    const match = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(this.text.slice(this.pos));
    if (!match || match[1] !== name) this.fail(`expected </${name}>`);
    this.pos += match[0].length;
  }

  /** Character data up to the next tag, entities and CDATA resolved. */
  characters(): string {
    let out = "";
    for (;;) {
      if (this.text.startsWith("<![CDATA[", this.pos)) {
        const end = this.text.indexOf("]]>", this.pos);
        if (end < 0) this.fail("a CDATA section is not closed");
        out += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (this.text.startsWith("<!--", this.pos)) {
        this.skip();
        continue;
      }
      const next = this.text.indexOf("<", this.pos);
      if (next < 0) this.fail("the document ends inside an element");
      if (next === this.pos) return out;
      out += this.text.slice(this.pos, next).replace(
        /&(#x[0-9a-fA-F]+|#\d+|\w+);/g,
        (whole, ref: string) => {
          if (ref[0] === "#") {
            const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
            if (code > 0x10ffff) this.fail(`${whole} is not a character`);
            return String.fromCodePoint(code);
          }
          if (!(ref in ENTITIES)) this.fail(`unknown entity ${whole}`);
          return ENTITIES[ref];
        },
      );
      this.pos = next;
    }
  }

  /** A scalar's text: the characters up to its closing tag. */
  scalar(name: string, empty: boolean): string {
    if (empty) return "";
    const text = this.characters();
    this.close(name);
    return text;
  }

  value(depth: number): PlistValue {
    if (depth > 512) this.fail("nested too deeply");
    this.skip();
    const { name, empty } = this.open();
    switch (name) {
      case "string":
        return this.scalar(name, empty);
      case "integer": {
        const text = this.scalar(name, empty).trim();
        const match = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(text);
        if (!match) this.fail(`<integer> holds ${JSON.stringify(text)}`);
        const magnitude = BigInt(match[2]);
        return integer(match[1] === "-" ? -magnitude : magnitude);
      }
      case "real": {
        const text = this.scalar(name, empty).trim();
        const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
        if (special) {
          if (special[2].toLowerCase() === "nan") return NaN;
          return special[1] === "-" ? -Infinity : Infinity;
        }
        const number = Number(text);
        if (text === "" || Number.isNaN(number)) this.fail(`<real> holds ${JSON.stringify(text)}`);
        return number;
      }
      case "true":
      case "false":
        this.scalar(name, empty);
        return name === "true";
      case "date": {
        const text = this.scalar(name, empty).trim();
        const date = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(text) ? new Date(text) : null;
        if (!date || Number.isNaN(date.getTime())) {
          this.fail(`<date> holds ${JSON.stringify(text)}`);
        }
        return date;
      }
      case "data": {
        const text = this.scalar(name, empty).replace(/\s+/g, "");
        let binary: string | null = null;
        try {
          binary = atob(text);
        } catch {
          // Reported below, with the line.
        }
        if (binary === null) this.fail("<data> is not base64");
        return Uint8Array.from(binary, (c) => c.charCodeAt(0));
      }
      case "array": {
        const items: PlistValue[] = [];
        if (empty) return items;
        for (;;) {
          this.skip();
          if (this.text.startsWith("</", this.pos)) break;
          items.push(this.value(depth + 1));
        }
        this.close(name);
        return items;
      }
      case "dict": {
        const dict: PlistDict = {};
        if (empty) return dict;
        for (;;) {
          this.skip();
          if (this.text.startsWith("</", this.pos)) break;
          const key = this.open();
          if (key.name !== "key") this.fail(`expected <key> in a <dict>, found <${key.name}>`);
          setKey(dict, this.scalar("key", key.empty), this.value(depth + 1));
        }
        this.close(name);
        return dict;
      }
      default:
        return this.fail(`<${name}> is not a plist element`);
    }
  }
}

/**
 * Parses an XML property list.
 *
 * @param text The document.
 * @returns The value inside `<plist>`.
 * @throws {PlistError} When it is not a well-formed XML plist, naming the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseXmlPlist } from "@galaxy-ts/runtime/local";
 * const info = parseXmlPlist(
 *   '<plist version="1.0"><dict><key>CFBundleName</key><string>Game &amp; Co</string></dict></plist>',
 * );
 * assert.deepEqual(info, { CFBundleName: "Game & Co" });
 * ```
 */
export function parseXmlPlist(text: string): PlistValue {
  const reader = new Reader(text.replace(/^\uFEFF/, ""));
  reader.skip();
  reader.skipDoctype();
  reader.skip();
  const root = reader.open();
  if (root.name !== "plist") reader.fail(`the root element is <${root.name}>, not <plist>`);
  if (root.empty) reader.fail("<plist> is empty");
  const value = reader.value(0);
  reader.skip();
  reader.close("plist");
  reader.skip();
  if (reader.pos < text.replace(/^\uFEFF/, "").length) reader.fail("content after </plist>");
  return value;
}
