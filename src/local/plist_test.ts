import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
} from "../../tests/assert.ts";
import {
  parseBinaryPlist,
  parsePlist,
  PlistError,
  PlistUid,
  type PlistValue,
  readInfoPlist,
  readPlist,
} from "./mod.ts";

// A binary plist writer of the test's own, from the format's description: every value its
// own object (no sharing), the smallest offset and reference sizes that fit.
function writeBinaryPlist(top: PlistValue, options: { utf8Strings?: boolean } = {}): Uint8Array {
  const objects: number[][] = [];
  const big = (value: bigint, size: number) => {
    const out: number[] = [];
    for (let i = size - 1; i >= 0; i--) out.push(Number((value >> BigInt(i * 8)) & 0xffn));
    return out;
  };
  const sizeOf = (n: number) => (n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4);
  const header = (kind: number, length: number): number[] =>
    length < 15
      ? [(kind << 4) | length]
      : [(kind << 4) | 0xf, ...(length < 256 ? [0x10, length] : [0x11, ...big(BigInt(length), 2)])];
  // References are written with a fixed two bytes, then narrowed once the count is known.
  const refs: { object: number; at: number }[] = [];
  const add = (value: PlistValue): number => {
    const index = objects.length;
    const bytes: number[] = [];
    objects.push(bytes);
    const children = (values: PlistValue[]) => {
      for (const child of values) {
        refs.push({ object: index, at: bytes.length });
        bytes.push(0, 0);
        const childIndex = add(child);
        bytes[bytes.length - 2] = childIndex >> 8;
        bytes[bytes.length - 1] = childIndex & 0xff;
      }
    };
    if (typeof value === "boolean") bytes.push(value ? 0x09 : 0x08);
    else if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) {
      const n = BigInt(value);
      if (n >= 0n && n < 256n) bytes.push(0x10, Number(n));
      else if (n >= 0n && n < 65536n) bytes.push(0x11, ...big(n, 2));
      else if (n >= -(2n ** 63n) && n < 2n ** 63n) {
        bytes.push(0x13, ...big(BigInt.asUintN(64, n), 8));
      } else bytes.push(0x14, ...big(BigInt.asUintN(128, n), 16));
    } else if (typeof value === "number") {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, value);
      bytes.push(0x23, ...new Uint8Array(b.buffer));
    } else if (typeof value === "string") {
      if (options.utf8Strings) {
        const utf8 = new TextEncoder().encode(value);
        bytes.push(...header(0x7, utf8.length), ...utf8);
      } else if ([...value].every((c) => c.charCodeAt(0) < 0x80)) {
        bytes.push(...header(0x5, value.length), ...[...value].map((c) => c.charCodeAt(0)));
      } else {
        bytes.push(...header(0x6, value.length));
        for (let i = 0; i < value.length; i++) {
          bytes.push(value.charCodeAt(i) >> 8, value.charCodeAt(i) & 0xff);
        }
      }
    } else if (value instanceof Date) {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, value.getTime() / 1000 - 978307200);
      bytes.push(0x33, ...new Uint8Array(b.buffer));
    } else if (value instanceof Uint8Array) bytes.push(...header(0x4, value.length), ...value);
    else if (value instanceof PlistUid) bytes.push(0x80, value.value);
    else if (Array.isArray(value)) {
      bytes.push(...header(0xa, value.length));
      children(value);
    } else {
      const entries = Object.entries(value);
      bytes.push(...header(0xd, entries.length));
      children([...entries.map(([k]) => k), ...entries.map(([, v]) => v)]);
    }
    return index;
  };
  add(top);
  const refSize = objects.length < 256 ? 1 : 2;
  if (refSize === 1) {
    // Narrow every reference to one byte, from the last in each object backwards.
    for (const { object, at } of refs.reverse()) objects[object].splice(at, 1);
  }
  const body: number[] = [..."bplist00"].map((c) => c.charCodeAt(0));
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body.push(...object);
  }
  const tableStart = body.length;
  const offsetSize = sizeOf(tableStart);
  for (const offset of offsets) body.push(...big(BigInt(offset), offsetSize));
  body.push(0, 0, 0, 0, 0, 0, offsetSize, refSize);
  body.push(...big(BigInt(objects.length), 8), ...big(0n, 8), ...big(BigInt(tableStart), 8));
  return new Uint8Array(body);
}

const INFO: PlistValue = {
  CFBundleIdentifier: "com.store.game",
  CFBundleName: "Gämé ✓",
  CFBundleExecutable: "Game",
  CFBundleVersion: "1.2.3",
  LSRequiresNativeExecution: true,
  LSUIElement: false,
  Count: 1_000_000,
  Negative: -42,
  Huge: 2n ** 70n,
  Ratio: 0.25,
  Built: new Date("2024-05-06T07:08:09Z"),
  Icon: new Uint8Array([0, 1, 2, 250]),
  CFBundleDocumentTypes: [{ CFBundleTypeExtensions: ["sav", "cfg"] }, []],
  Empty: {},
  __proto__: "a key like any other",
};

Deno.test("a binary plist reads back to what was written", () => {
  const info = structuredClone(INFO);
  Object.defineProperty(info, "__proto__", { value: "a key like any other", enumerable: true });
  const bytes = writeBinaryPlist(info);
  const parsed = parsePlist(bytes) as Record<string, PlistValue>;
  assertEquals(Object.keys(parsed), Object.keys(info));
  for (const key of Object.keys(info)) {
    assertEquals(parsed[key], (info as Record<string, PlistValue>)[key], key);
  }
  assertEquals(Object.getPrototypeOf(parsed), Object.prototype);
  // Newer systems' UTF-8 strings, and more than 255 objects (two-byte references).
  const many = Array.from({ length: 300 }, (_, i) => `item ${i} ✓`);
  assertEquals(parsePlist(writeBinaryPlist(many, { utf8Strings: true })), many);
  assertEquals(parsePlist(writeBinaryPlist([new PlistUid(9)])), [new PlistUid(9)]);
});

Deno.test("binary plists, built byte by byte", () => {
  const trailer = (
    offsetSize: number,
    refSize: number,
    count: number,
    top: number,
    table: number,
  ) => [
    0,
    0,
    0,
    0,
    0,
    0,
    offsetSize,
    refSize,
    ...[0, 0, 0, 0, 0, 0, 0, count],
    ...[0, 0, 0, 0, 0, 0, 0, top],
    ...[0, 0, 0, 0, 0, 0, 0, table],
  ];
  const file = (objects: number[], offsets: number[], top = 0) =>
    new Uint8Array([
      ...[..."bplist00"].map((c) => c.charCodeAt(0)),
      ...objects,
      ...offsets,
      ...trailer(1, 1, offsets.length, top, 8 + objects.length),
    ]);
  // A dict {"a": 1} as keys then values: D1 <ref key> <ref value>, "a" (0x51), int 1.
  assertEquals(parseBinaryPlist(file([0xd1, 1, 2, 0x51, 0x61, 0x10, 0x01], [8, 11, 13])), { a: 1 });
  // A UTF-16 string of 16 characters: its length in a following integer object.
  const text = "ABCDEFGHIJKLMNOP";
  const utf16 = [...text].flatMap((c) => [0, c.charCodeAt(0)]);
  assertEquals(parseBinaryPlist(file([0x6f, 0x10, 16, ...utf16], [8])), text);
  // Integers: 4 bytes unsigned, 8 bytes signed.
  assertEquals(parseBinaryPlist(file([0x12, 0xff, 0xff, 0xff, 0xff], [8])), 4294967295);
  assertEquals(parseBinaryPlist(file([0x13, ...Array(8).fill(0xff)], [8])), -1);
  // A date of 0: Apple's epoch.
  assertEquals(
    parseBinaryPlist(file([0x33, 0, 0, 0, 0, 0, 0, 0, 0], [8])),
    new Date("2001-01-01T00:00:00Z"),
  );
  // An array that holds itself is refused, not followed forever.
  assertThrows(
    () => parseBinaryPlist(file([0xa1, 0], [8])),
    (e) => e instanceof PlistError && /contains itself/.test(e.message),
  );
  assertThrows(
    () => parseBinaryPlist(file([0xa1, 5], [8])),
    (e) => e instanceof PlistError && /reference to object 5, of 1/.test(e.message),
  );
  assertThrows(
    () => parseBinaryPlist(file([0x5f, 0x10, 200, 0x41], [8])),
    (e) => e instanceof PlistError && /runs past the objects/.test(e.message),
  );
  assertThrows(
    () => parseBinaryPlist(new Uint8Array(10)),
    (e) => e instanceof PlistError && /does not start with bplist00/.test(e.message),
  );
  assertThrows(
    () => parsePlist(new TextEncoder().encode("bplist15....")),
    (e) => e instanceof PlistError && /version "15" is not supported/.test(e.message),
  );
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- written by hand -->
<plist version="1.0">
<dict>
	<key>CFBundleIdentifier</key>
	<string>com.store.game</string>
	<key>CFBundleName</key>
	<string>G&#xE4;m&#233; &amp; &lt;Co&gt; <![CDATA[<raw> & ]]>✓</string>
	<key>Count</key><integer>1000000</integer>
	<key>Negative</key><integer>-42</integer>
	<key>Huge</key><integer>1180591620717411303424</integer>
	<key>Hex</key><integer>0x1F</integer>
	<key>Ratio</key><real>0.25</real>
	<key>Inf</key><real>-infinity</real>
	<key>Built</key><date>2024-05-06T07:08:09Z</date>
	<key>Icon</key><data>
		AAEC
		+g==
	</data>
	<key>Yes</key><true/>
	<key>No</key><false/>
	<key>EmptyString</key><string/>
	<key>Types</key>
	<array>
		<dict><key>Ext</key><array><string>sav</string><string>cfg</string></array></dict>
		<array/>
	</array>
	<key>Empty</key><dict/>
</dict>
</plist>
`;

Deno.test("an XML plist, with entities, CDATA, comments and every element", () => {
  assertEquals(parsePlist(XML), {
    CFBundleIdentifier: "com.store.game",
    CFBundleName: "Gämé & <Co> <raw> & ✓",
    Count: 1000000,
    Negative: -42,
    Huge: 2n ** 70n,
    Hex: 31,
    Ratio: 0.25,
    Inf: -Infinity,
    Built: new Date("2024-05-06T07:08:09Z"),
    Icon: new Uint8Array([0, 1, 2, 250]),
    Yes: true,
    No: false,
    EmptyString: "",
    Types: [{ Ext: ["sav", "cfg"] }, []],
    Empty: {},
  });
  assertEquals(parsePlist(new TextEncoder().encode("\uFEFF" + XML)), parsePlist(XML));
});

Deno.test("a broken XML plist names the line and the problem", () => {
  const cases: [string, RegExp][] = [
    ["<plist><dict><key>a</key></dict></plist>", /line 1: expected an element/],
    [
      "<plist>\n<dict>\n<string>x</string></dict></plist>",
      /line 3: expected <key> in a <dict>, found <string>/,
    ],
    ["<plist><integer>1.5</integer></plist>", /<integer> holds "1.5"/],
    ["<plist><date>yesterday</date></plist>", /<date> holds "yesterday"/],
    ["<plist><data>!!</data></plist>", /<data> is not base64/],
    ["<plist><string>a &nbsp; b</string></plist>", /unknown entity &nbsp;/],
    ["<plist><string>open", /ends inside an element/],
    ["<plist><foo/></plist>", /<foo> is not a plist element/],
    ["<html></html>", /root element is <html>, not <plist>/],
    ["<plist><true/></plist><plist/>", /content after <\/plist>/],
  ];
  for (const [text, pattern] of cases) {
    assertThrows(() => parsePlist(text), (e) => e instanceof PlistError && pattern.test(e.message));
  }
});

Deno.test("Info.plist of an app bundle, binary or XML, read from disk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/Binary.app/Contents`, { recursive: true });
    await Deno.mkdir(`${dir}/Xml.app/Contents`, { recursive: true });
    await Deno.writeFile(
      `${dir}/Binary.app/Contents/Info.plist`,
      writeBinaryPlist({ CFBundleExecutable: "Game", CFBundleShortVersionString: "2.0" }),
    );
    await Deno.writeTextFile(`${dir}/Xml.app/Contents/Info.plist`, XML);
    assertEquals(await readInfoPlist(`${dir}/Binary.app/`), {
      CFBundleExecutable: "Game",
      CFBundleShortVersionString: "2.0",
    });
    assertEquals((await readInfoPlist(`${dir}/Xml.app`)).CFBundleIdentifier, "com.store.game");
    await Deno.writeTextFile(`${dir}/broken.plist`, "<plist><dict>");
    await assertRejects(() => readPlist(`${dir}/broken.plist`), (e) => {
      assert(e instanceof PlistError);
      assertMatch(e.message, new RegExp(`^${dir}/broken.plist: XML plist, line 1`));
      return true;
    });
    await Deno.writeTextFile(`${dir}/Xml.app/Contents/Info.plist`, "<plist><array/></plist>");
    await assertRejects(
      () => readInfoPlist(`${dir}/Xml.app`),
      (e) => e instanceof PlistError && /the top value is not a dict/.test(e.message),
    );
    await assertRejects(
      () => readInfoPlist(`${dir}/Missing.app`),
      (e) => e instanceof Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
