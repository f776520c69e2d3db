/**
 * Binary property lists (`bplist00`), as macOS writes most `Info.plist` files of apps: an
 * object table, an offset table, and a 32-byte trailer giving the sizes of offsets and
 * references, the number of objects, the top object and where the offset table starts.
 *
 * Every object is a marker byte (kind in the high nibble, size or length in the low one;
 * a length nibble of 15 means an integer object with the real length follows), then its
 * bytes. Numbers are big-endian; integers of 1, 2 and 4 bytes are unsigned, of 8 and 16
 * bytes signed; dates are seconds since 2001-01-01 UTC as a 64-bit float.
 *
 * @module
 */
import {
  integer,
  type PlistDict,
  PlistError,
  PlistUid,
  type PlistValue,
  setKey,
} from "./plist_value.ts";

/** The header of a binary plist. */
export const BPLIST_MAGIC = "bplist00";
const TRAILER = 32;
/** Seconds from 1970-01-01 to 2001-01-01, Apple's epoch for plist dates. */
const APPLE_EPOCH = 978_307_200;
const UTF16BE = new TextDecoder("utf-16be");
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const ASCII = new TextDecoder("latin1");

function fail(message: string): never {
  throw new PlistError(`binary plist: ${message}`);
}

class Reader {
  readonly view: DataView;
  readonly offsets: number[] = [];
  readonly refSize: number;
  /** The objects being read, to refuse a reference cycle. */
  readonly open = new Set<number>();

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < BPLIST_MAGIC.length + TRAILER) fail("too short");
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const t = bytes.length - TRAILER;
    const offsetSize = bytes[t + 6];
    this.refSize = bytes[t + 7];
    const count = this.uint(t + 8, 8);
    const tableStart = this.uint(t + 24, 8);
    if (offsetSize < 1 || offsetSize > 8 || this.refSize < 1 || this.refSize > 8) {
      fail(`offset size ${offsetSize} or reference size ${this.refSize} is not 1 to 8`);
    }
    if (tableStart < 8 || tableStart + count * offsetSize > t) {
      fail("the offset table lies outside the file");
    }
    for (let i = 0; i < count; i++) {
      const offset = this.uint(tableStart + i * offsetSize, offsetSize);
      if (offset < 8 || offset >= tableStart) {
        fail(`object ${i}'s offset ${offset} is out of range`);
      }
      this.offsets.push(offset);
    }
    this.top = this.uint(t + 16, 8);
  }

  top: number;

  uint(at: number, size: number): number {
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.bytes[at + i];
    if (!Number.isSafeInteger(value)) fail(`a size of ${value} is too large`);
    return value;
  }

  /** The length in a marker's low nibble, or in the integer object after it. */
  length(at: number): { length: number; start: number } {
    const nibble = this.bytes[at] & 0x0f;
    if (nibble !== 0x0f) return { length: nibble, start: at + 1 };
    const marker = this.bytes[at + 1];
    if (marker >> 4 !== 0x1) fail(`object at ${at}: its length is not an integer`);
    const size = 1 << (marker & 0x0f);
    if (size > 8) fail(`object at ${at}: its length is too large`);
    return { length: this.uint(at + 2, size), start: at + 2 + size };
  }

  within(start: number, size: number, what: string): void {
    if (start + size > this.bytes.length - TRAILER) {
      fail(`${what} at ${start} runs past the objects`);
    }
  }

  ref(at: number): number {
    return this.uint(at, this.refSize);
  }

  object(index: number): PlistValue {
    if (index >= this.offsets.length) {
      fail(`reference to object ${index}, of ${this.offsets.length}`);
    }
    if (this.open.has(index)) fail(`object ${index} contains itself`);
    this.open.add(index);
    try {
      return this.read(this.offsets[index]);
    } finally {
      this.open.delete(index);
    }
  }

  read(at: number): PlistValue {
    const marker = this.bytes[at];
    const kind = marker >> 4;
    switch (kind) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        return fail(
          `object at ${at}: marker 0x${marker.toString(16).padStart(2, "0")} has no value`,
        );
      case 0x1: {
        const size = 1 << (marker & 0x0f);
        this.within(at + 1, size, "an integer");
        if (size <= 4) return this.uint(at + 1, size);
        if (size === 8) return integer(this.view.getBigInt64(at + 1));
        if (size === 16) {
          const high = this.view.getBigInt64(at + 1);
          return integer((high << 64n) | this.view.getBigUint64(at + 9));
        }
        return fail(`object at ${at}: an integer of ${size} bytes`);
      }
      case 0x2: {
        const size = 1 << (marker & 0x0f);
        this.within(at + 1, size, "a real");
        if (size === 4) return this.view.getFloat32(at + 1);
        if (size === 8) return this.view.getFloat64(at + 1);
        return fail(`object at ${at}: a real of ${size} bytes`);
      }
      case 0x3:
        if (marker !== 0x33) fail(`object at ${at}: marker 0x${marker.toString(16)} is not a date`);
        this.within(at + 1, 8, "a date");
        return new Date((this.view.getFloat64(at + 1) + APPLE_EPOCH) * 1000);
      case 0x4: {
        const { length, start } = this.length(at);
        this.within(start, length, "data");
        return this.bytes.slice(start, start + length);
      }
      case 0x5: {
        const { length, start } = this.length(at);
        this.within(start, length, "a string");
        return ASCII.decode(this.bytes.subarray(start, start + length));
      }
      case 0x6: {
        const { length, start } = this.length(at);
        this.within(start, length * 2, "a string");
        return UTF16BE.decode(this.bytes.subarray(start, start + length * 2));
      }
      case 0x7: {
        // UTF-8, its length in bytes (written by newer systems).
        const { length, start } = this.length(at);
        this.within(start, length, "a string");
        try {
          return UTF8.decode(this.bytes.subarray(start, start + length));
        } catch (error) {
          return fail(`object at ${at}: a string that is not UTF-8 (${(error as Error).message})`);
        }
      }
      case 0x8: {
        const size = (marker & 0x0f) + 1;
        this.within(at + 1, size, "a UID");
        return new PlistUid(this.uint(at + 1, size));
      }
      case 0xa:
      case 0xb:
      case 0xc: {
        // An array; an ordered set or a set reads as an array too.
        const { length, start } = this.length(at);
        this.within(start, length * this.refSize, "an array");
        const items: PlistValue[] = [];
        for (let i = 0; i < length; i++) {
          items.push(this.object(this.ref(start + i * this.refSize)));
        }
        return items;
      }
      case 0xd: {
        const { length, start } = this.length(at);
        this.within(start, 2 * length * this.refSize, "a dict");
        const dict: PlistDict = {};
        for (let i = 0; i < length; i++) {
          const key = this.object(this.ref(start + i * this.refSize));
          if (typeof key !== "string") fail(`object at ${at}: a dict key that is not a string`);
          setKey(dict, key, this.object(this.ref(start + (length + i) * this.refSize)));
        }
        return dict;
      }
      default:
        return fail(`object at ${at}: unknown marker 0x${marker.toString(16)}`);
    }
  }
}

/**
 * Parses a binary property list.
 *
 * @param bytes The file, starting with `bplist00`.
 * @returns The top object.
 * @throws {PlistError} When the file is not a well-formed binary plist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBinaryPlist } from "@galaxy-ts/runtime/local";
 * // "bplist00", one object (true, 0x09) at offset 8, its offset, then the trailer.
 * const bytes = new Uint8Array([..."bplist00"].map((c) => c.charCodeAt(0)).concat(
 *   [0x09, 0x08], [0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 0, 1],
 *   [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 9],
 * ));
 * assert(parseBinaryPlist(bytes) === true);
 * ```
 */
export function parseBinaryPlist(bytes: Uint8Array): PlistValue {
  for (let i = 0; i < BPLIST_MAGIC.length; i++) {
    if (bytes[i] !== BPLIST_MAGIC.charCodeAt(i)) fail(`it does not start with ${BPLIST_MAGIC}`);
  }
  const reader = new Reader(bytes);
  return reader.object(reader.top);
}
