import { assertEquals } from "../../tests/assert.ts";
import { readLines } from "./mod.ts";

function reader(chunks: Uint8Array[]) {
  return {
    read(p: Uint8Array): Promise<number | null> {
      const chunk = chunks.shift();
      if (!chunk) return Promise.resolve(null);
      if (chunk.length > p.length) {
        chunks.unshift(chunk.subarray(p.length));
        p.set(chunk.subarray(0, p.length));
        return Promise.resolve(p.length);
      }
      p.set(chunk);
      return Promise.resolve(chunk.length);
    },
  };
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("lines split across reads, many lines per read, a last line without newline", async () => {
  const lines: string[] = [];
  await readLines(reader([enc("a"), enc("b\nc\n\nd"), enc("e\n"), enc("tail")]), (l) => {
    lines.push(dec(l));
  });
  assertEquals(lines, ["ab", "c", "", "de", "tail"]);
});

Deno.test("a line much longer than the read buffer arrives whole, byte for byte", async () => {
  const big = new Uint8Array(5 * 1024 * 1024 + 7).fill(97);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < big.length; i += 65_536) chunks.push(big.subarray(i, i + 65_536));
  chunks.push(enc("\nx\n"));
  const sizes: number[] = [];
  await readLines(reader(chunks), (l) => void sizes.push(l.length));
  assertEquals(sizes, [big.length, 1]);
});

Deno.test("returning false stops reading", async () => {
  const lines: string[] = [];
  await readLines(reader([enc("1\n2\n3\n")]), (l) => {
    lines.push(dec(l));
    return lines.length < 2;
  });
  assertEquals(lines, ["1", "2"]);
});
