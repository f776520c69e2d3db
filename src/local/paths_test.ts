import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { runSandboxed } from "../../tests/sandbox.ts";
import { expandPath, knownDir, PermissionNeeded } from "./mod.ts";

const WINDOWS_ENV: Record<string, string> = {
  USERPROFILE: "C:\\Users\\Me",
  APPDATA: "C:\\Users\\Me\\AppData\\Roaming\\",
  PROGRAMDATA: "D:\\ProgramData",
  PROGRAMFILES: "C:\\Program Files",
  "PROGRAMFILES(X86)": "C:\\Program Files (x86)",
};
// Windows ignores the case of variable names.
const windows = {
  os: "windows" as const,
  env: (name: string) => WINDOWS_ENV[name.toUpperCase()],
};
const linux = (env: Record<string, string>) => ({
  os: "linux" as const,
  env: (n: string) => env[n],
});

Deno.test("known folders on Windows: the variable, else the folder under the profile", () => {
  assertEquals(knownDir("home", windows), "C:\\Users\\Me");
  assertEquals(knownDir("roamingAppData", windows), "C:\\Users\\Me\\AppData\\Roaming");
  assertEquals(knownDir("localAppData", windows), "C:\\Users\\Me\\AppData\\Local");
  assertEquals(knownDir("programData", windows), "D:\\ProgramData");
  assertEquals(knownDir("programData", { os: "windows", env: () => undefined }), "C:\\ProgramData");
  assertEquals(knownDir("config", windows), "C:\\Users\\Me\\AppData\\Roaming");
  assertThrows(
    () => knownDir("applicationSupport", windows),
    (e) =>
      e instanceof Error &&
      e.message === 'knownDir("applicationSupport") exists on darwin only, not on windows',
  );
  assertThrows(
    () => knownDir("home", { os: "windows", env: () => undefined }),
    (e) => e instanceof Error && /USERPROFILE is not set/.test(e.message),
  );
});

Deno.test("known folders on macOS and Linux, XDG variables first", () => {
  const mac = {
    os: "darwin" as const,
    env: (n: string) => n === "HOME" ? "/Users/me/" : undefined,
  };
  assertEquals(knownDir("applicationSupport", mac), "/Users/me/Library/Application Support");
  assertEquals(knownDir("cache", mac), "/Users/me/Library/Caches");
  assertEquals(knownDir("config", linux({ HOME: "/home/me" })), "/home/me/.config");
  assertEquals(knownDir("data", linux({ HOME: "/home/me" })), "/home/me/.local/share");
  assertEquals(
    knownDir("data", linux({ HOME: "/home/me", XDG_DATA_HOME: "/xdg/data" })),
    "/xdg/data",
  );
  assertEquals(knownDir("cache", linux({ HOME: "/", XDG_CACHE_HOME: "" })), "/.cache");
  assertEquals(knownDir("home", linux({ HOME: "/" })), "/");
});

Deno.test("expanding %VAR% (Windows), $VAR, ${VAR} and ~", () => {
  assertEquals(
    expandPath("%ProgramFiles(x86)%\\Store\\%programfiles%", windows),
    "C:\\Program Files (x86)\\Store\\C:\\Program Files",
  );
  assertEquals(expandPath("%UNSET%\\x\\100% sure\\%", windows), "%UNSET%\\x\\100% sure\\%");
  assertEquals(
    expandPath("${APPDATA}Store;$USERPROFILE\\x", windows),
    "C:\\Users\\Me\\AppData\\Roaming\\Store;C:\\Users\\Me\\x",
  );
  assertEquals(expandPath("~\\Saved Games", windows), "C:\\Users\\Me\\Saved Games");
  const env = linux({ HOME: "/home/me", GAMES: "/srv/games" });
  assertEquals(
    expandPath("$GAMES/${GAMES}x/$NOPE/%GAMES%/~", env),
    "/srv/games//srv/gamesx/$NOPE/%GAMES%/~",
  );
  assertEquals(expandPath("~/a", env), "/home/me/a");
  assertEquals(expandPath("~user/a", env), "~user/a");
});

Deno.test("a variable the sandbox does not grant is named with its deno.json grant", async () => {
  const probe = `import { expandPath } from ${
    JSON.stringify(new URL("./paths.ts", import.meta.url).href)
  };
try { expandPath("$GALAXY_TS_GRANTED/$GALAXY_TS_OTHER"); } catch (e) { console.log(e.name + ": " + e.message); }
console.log(expandPath("$GALAXY_TS_GRANTED"));`;
  const lines = await runSandboxed(probe, ["--allow-env=GALAXY_TS_GRANTED"], {
    GALAXY_TS_GRANTED: "yes",
    GALAXY_TS_OTHER: "no",
  });
  assertEquals(lines[1], "yes");
  assertEquals(
    lines[0],
    'PermissionNeeded: expandPath(): permission denied: env access to "GALAXY_TS_OTHER"; ' +
      'grant it in deno.json: permissions.integration.env: ["GALAXY_TS_OTHER"]',
  );
  assertEquals(new PermissionNeeded("x", "env", "A").kind, "env");
});
