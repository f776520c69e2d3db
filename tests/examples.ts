// The TypeScript examples of the project's docs, found the way `deno check --doc` finds
// them: the ```ts blocks of Markdown files and of JSDoc comments. README's lint test and the
// runner of every example (doc_examples_test.ts) read them from here.

/** One ```ts block. */
export interface Example {
  /** The file, relative to the repository's root. */
  readonly file: string;
  /** The 1-based line of the block's first line of code. */
  readonly line: number;
  /** Marked `ts ignore`: a fragment, neither checked nor run. */
  readonly ignore: boolean;
  readonly code: string;
}

const OPEN = /^(\s*)```ts( ignore)?\s*$/;
const CLOSE = /^\s*```\s*$/;

/** The blocks of `lines`, each line already stripped of what is not code (a JSDoc `*`). */
function blocks(file: string, lines: readonly string[]): Example[] {
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const start = i + 1;
    while (i + 1 < lines.length && !CLOSE.test(lines[i + 1])) i++;
    const code = lines.slice(start, i + 1).map((line) => line.slice(indent)).join("\n");
    found.push({ file, line: start + 1, ignore: open[2] !== undefined, code: `${code}\n` });
    i++;
  }
  return found;
}

/** The ```ts blocks of a Markdown text, indented ones (in lists) included. */
export function markdownExamples(file: string, text: string): Example[] {
  return blocks(file, text.split("\n"));
}

/**
 * The ```ts blocks inside the JSDoc comments of a module. Lines outside a `/** … *\/`
 * comment become empty, so that each block keeps its line number.
 */
export function jsdocExamples(file: string, text: string): Example[] {
  let inside = false;
  const lines = text.split("\n").map((line) => {
    if (!inside) {
      inside = /^\s*\/\*\*/.test(line) && !line.includes("*/");
      return "";
    }
    if (/^\s*\*\//.test(line) || line.includes("*/")) {
      inside = false;
      return "";
    }
    return line.replace(/^\s*\* ?/, "");
  });
  return blocks(file, lines);
}
