/**
 * One simulated Galaxy session: start the integration, handshake, log in, run imports
 * and actions, shut down; every message checked, recorded, and reported.
 *
 * @module
 */
import {
  type Answer,
  type Capabilities,
  GalaxyPeer,
  IMPORT_SPECS,
  type ImportRun,
  type ImportSpec,
  PeerError,
} from "../../testing/mod.ts";
import type { WireError } from "../../wire/mod.ts";
import { SimError } from "./errors.ts";
import { bytes, importRows, seconds, table } from "./format.ts";
import { launch, type Launched } from "./launch.ts";
import { SimState } from "./state.ts";
import { TranscriptWriter } from "./transcript.ts";

/** Where the session's human-readable report goes. */
export interface Output {
  /** A line of the report. */
  info(line: string): void;
  /** A problem: a violation, an error answer, a timeout. */
  problem(line: string): void;
  /** A transient progress line (long imports). */
  progress(line: string): void;
}

/** Options of a {@linkcode SimSession}. */
export interface SimOptions {
  /** The integration's command; token and port are appended. */
  command: string[];
  /** Root folder of the kept state (cache, credentials), e.g. ".galaxy". */
  stateRoot: string;
  /** Start with no cache and no credentials, and keep nothing. */
  fresh: boolean;
  /** Forget the stored credentials first. */
  logout: boolean;
  /** Transcript path; null for none. */
  transcript: string | null;
  /** Longest wait for an answer, an import's end, the connection, the exit. */
  timeoutMs: number;
  /** How often Galaxy pings; 0 for never. */
  pingIntervalMs: number;
  /** How long a ping may go unanswered. */
  pingTimeoutMs: number;
  /** How often progress is shown during a long request. */
  progressIntervalMs: number;
  /** Show the integration's own output as it comes. */
  verbose: boolean;
  /** The report's destination. */
  out: Output;
}

/** How the user finishes a login step (Galaxy's browser window). */
export interface LoginAnswer {
  /** The address the login window ended on. */
  end_uri: string;
  /** The cookies the window had. */
  cookies?: Record<string, unknown>[];
}

/** Asks the user to finish a login step; null when they cannot (non-interactive). */
export type LoginPrompt = (
  step: { startUri: string; endUriRegex: string; windowTitle: string },
) => Promise<LoginAnswer | null>;

/** One step's outcome, for `--json`. */
export interface StepReport {
  /** What was asked. */
  step: string;
  /** How long it took, in milliseconds. */
  ms: number;
  /** The camelCase result, when it succeeded. */
  result?: unknown;
  /** The error answer, when it failed. */
  error?: WireError | string;
}

interface ListImport {
  readonly method: string;
  readonly feature: string;
  readonly key: string;
  readonly noun: string;
}

/** The whole-list imports, by the short name `--import` takes. */
export const LIST_IMPORTS: Readonly<Record<string, ListImport>> = {
  owned: {
    method: "import_owned_games",
    feature: "ImportOwnedGames",
    key: "ownedGames",
    noun: "owned games",
  },
  local: {
    method: "import_local_games",
    feature: "ImportInstalledGames",
    key: "localGames",
    noun: "local games",
  },
  friends: {
    method: "import_friends",
    feature: "ImportFriends",
    key: "friendInfoList",
    noun: "friends",
  },
  subscriptions: {
    method: "import_subscriptions",
    feature: "ImportSubscriptions",
    key: "subscriptions",
    noun: "subscriptions",
  },
};

/** The batched imports, by the short name `--import` takes ("game-times", …). */
export const BATCHED_IMPORTS: ReadonlyMap<string, ImportSpec> = new Map(
  [...IMPORT_SPECS.values()].map((spec) => [spec.name.replaceAll(" ", "-"), spec]),
);

/** Every name `--import` accepts. */
export const IMPORT_NAMES: readonly string[] = [
  ...Object.keys(LIST_IMPORTS),
  ...BATCHED_IMPORTS.keys(),
];

/** The actions Galaxy sends as notifications, with whether they take a game id. */
export const ACTIONS: Readonly<Record<string, { feature: string; gameId: boolean }>> = {
  launch_game: { feature: "LaunchGame", gameId: true },
  install_game: { feature: "InstallGame", gameId: true },
  uninstall_game: { feature: "UninstallGame", gameId: true },
  launch_platform_client: { feature: "LaunchPlatformClient", gameId: false },
  shutdown_platform_client: { feature: "ShutdownPlatformClient", gameId: false },
};

const OUTPUT_TAIL = 20;

/** A running simulated session. Create with {@linkcode SimSession.start}. */
export class SimSession {
  /** What the integration declared. */
  capabilities!: Capabilities;
  /** The kept cache and credentials. */
  state!: SimState;
  /** Every step's outcome. */
  readonly steps: StepReport[] = [];
  /** Problems that are not protocol violations (error answers, a bad exit). */
  readonly failures: string[] = [];
  /** The ids of what the last list imports returned, for the batched imports' defaults. */
  readonly known: { gameIds?: string[]; userIds?: string[]; subscriptionNames?: string[] } = {};
  readonly #options: SimOptions;
  readonly #peer: GalaxyPeer;
  readonly #launched: Launched;
  readonly #transcript: TranscriptWriter;
  readonly #outputTail: string[];
  #pinger: ReturnType<typeof setInterval> | undefined;
  #pinging = false;
  #exitCode: number | undefined;

  private constructor(
    options: SimOptions,
    launched: Launched,
    transcript: TranscriptWriter,
    outputTail: string[],
  ) {
    this.#options = options;
    this.#launched = launched;
    this.#transcript = transcript;
    this.#outputTail = outputTail;
    launched.exited.then((code) => (this.#exitCode = code));
    this.#peer = new GalaxyPeer(launched.conn, {
      onLine: (from, line, message) => transcript.message(from, message, line),
      onViolation: (violation) => {
        transcript.violation(violation.message);
        options.out.problem(`✗ protocol: ${violation.message}`);
      },
      onNotification: (n) => this.#onNotification(n.method, n.params),
      onRequest: (method) => {
        // Galaxy renews tokens only for platforms it knows; a simulator cannot.
        options.out.info(`  the integration asked ${method}; the simulator answers an error`);
        throw { code: 4, message: "Backend error: the simulator cannot refresh credentials" };
      },
    });
  }

  /** The protocol violations found so far. */
  get violations(): readonly string[] {
    return this.#peer.violations.map((v) => v.message);
  }

  /**
   * Starts the integration, performs the handshake (capabilities, then the kept cache)
   * and starts pinging it.
   */
  static async start(options: SimOptions): Promise<SimSession> {
    const token = crypto.randomUUID();
    const transcript = await TranscriptWriter.open(options.transcript, options.command, token);
    const tail: string[] = [];
    const onOutput = (line: string) => {
      const scrubbed = transcript.output(line);
      tail.push(scrubbed);
      if (tail.length > OUTPUT_TAIL) tail.shift();
      if (options.verbose) options.out.info(`  | ${scrubbed}`);
    };
    options.out.info(`▶ starting ${options.command.join(" ")}`);
    let launched: Launched;
    try {
      launched = await launch(options.command, token, options.timeoutMs, onOutput);
    } catch (error) {
      transcript.close();
      if (error instanceof SimError && tail.length > 0) {
        throw new SimError(`${error.message}; its last output:\n${indent(tail)}`);
      }
      throw error;
    }
    const session = new SimSession(options, launched, transcript, tail);
    await session.#handshake(token);
    return session;
  }

  async #handshake(token: string): Promise<void> {
    const answer = await this.#request("get_capabilities");
    if (!answer?.value) throw new SimError("get_capabilities failed: the session cannot go on");
    this.capabilities = answer.value as Capabilities;
    const { platformName, features } = this.capabilities;
    if (this.capabilities.token !== token) {
      this.#fail(
        "get_capabilities answered another token than the one passed on the command line: Galaxy refuses the integration",
      );
    }
    this.#options.out.info(
      `✓ capabilities: platform ${platformName}, ${features.length} feature${
        features.length === 1 ? "" : "s"
      }: ${features.join(", ")}`,
    );
    this.state = await SimState.load(this.#options.stateRoot, platformName, this.#options.fresh);
    if (this.#options.logout) await this.state.forgetCredentials();
    const size = JSON.stringify(this.state.cache).length;
    await this.#request("initialize_cache", { data: this.state.cache });
    this.#options.out.info(
      `✓ initialize_cache: ${bytes(size)}${
        this.#options.fresh ? " (fresh)" : ` from ${this.state.dir}/cache.json`
      }`,
    );
    if (this.#options.pingIntervalMs > 0) {
      this.#pinger = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
    }
  }

  #ping(): void {
    if (this.#pinging || this.#peer.isClosed) return;
    this.#pinging = true;
    this.#peer.request("ping", undefined, this.#options.pingTimeoutMs)
      .catch(() => {}) // A timeout is reported by the peer as a violation.
      .finally(() => (this.#pinging = false));
  }

  #onNotification(method: string, params: unknown): void {
    if (method === "store_credentials" && params && typeof params === "object") {
      this.#options.out.info("  ← store_credentials: kept for the next run (****)");
      this.state?.storeCredentials(params as Record<string, unknown>).catch((e) =>
        this.#keepFailed(e)
      );
    } else if (method === "push_cache" && params && typeof params === "object") {
      const data = (params as { data?: unknown }).data;
      if (data && typeof data === "object") {
        this.#options.out.info("  ← push_cache: kept for the next run");
        this.state?.storeCache(data as Record<string, unknown>).catch((e) => this.#keepFailed(e));
      }
    } else if (!IMPORT_SPECS.has(method) && !/_import_/.test(method)) {
      this.#options.out.info(`  ← ${method} ${JSON.stringify(params)}`);
    }
  }

  #keepFailed(error: unknown): void {
    this.#fail(`cannot keep the state in ${this.state.dir}: ${(error as Error).message}`);
  }

  #fail(message: string): void {
    this.failures.push(message);
    this.#options.out.problem(`✗ ${message}`);
  }

  /**
   * Sends a request, shows progress while it runs, and returns its answer; undefined when
   * it was not answered (reported already).
   */
  async #request(
    method: string,
    params?: unknown,
    errorExpected = false,
  ): Promise<Answer | undefined> {
    const stop = this.#progress(() => `${method}: waiting`);
    try {
      const answer = await this.#peer.request(method, params, this.#options.timeoutMs);
      if (answer.error) {
        (errorExpected
          ? (m: string) => this.#options.out.info(`✓ ${m}, as expected`)
          : (m: string) => this.#fail(m))(
            `${method} answered error ${answer.error.code} ${answer.error.message}${
              answer.error.data?.internal_type ? ` (${answer.error.data.internal_type})` : ""
            }`,
          );
      }
      return answer;
    } catch (error) {
      if (error instanceof PeerError && error.reason === "closed") this.#lost(method);
      else if (!(error instanceof PeerError)) throw error;
      return undefined;
    } finally {
      stop();
    }
  }

  #lost(method: string): void {
    // Its exit code and last output follow once it has exited (see finish).
    this.#fail(`the integration closed the connection during ${method}`);
  }

  #progress(describe: () => string): () => void {
    const started = performance.now();
    const interval = this.#options.progressIntervalMs;
    const timer = interval > 0
      ? setInterval(
        () =>
          this.#options.out.progress(
            `  … ${describe()}, ${seconds(performance.now() - started)}`,
          ),
        interval,
      )
      : undefined;
    return () => clearInterval(timer);
  }

  #declares(feature: string, what: string): boolean {
    if (this.capabilities.features.includes(feature as never)) return true;
    this.#fail(`${what}: the integration does not declare ${feature}`);
    return false;
  }

  /** Whether the connection is still up. */
  get connected(): boolean {
    return !this.#peer.isClosed;
  }

  /**
   * `init_authentication` with the kept credentials, then as many login steps as the
   * integration asks for, each finished by `prompt`. Returns whether it ended logged in.
   */
  async authenticate(prompt: LoginPrompt): Promise<boolean> {
    const started = performance.now();
    const stored = this.state.credentials;
    let answer = await this.#request(
      "init_authentication",
      stored ? { stored_credentials: stored } : {},
    );
    for (let steps = 0; answer?.value && steps < 10; steps++) {
      const value = answer.value as Record<string, unknown>;
      if (!("nextStep" in value)) {
        this.#options.out.info(
          `✓ authenticated as ${value.userName} (user id ${value.userId})${
            stored && steps === 0 ? " with the kept credentials" : ""
          }`,
        );
        this.steps.push({ step: "authenticate", ms: elapsed(started), result: value });
        return true;
      }
      const params = value.authParams as {
        startUri: string;
        endUriRegex: string;
        windowTitle: string;
      };
      this.#options.out.info(
        `  login needed (${value.nextStep}): Galaxy opens "${params.windowTitle}" at ${params.startUri}`,
      );
      const login = await prompt(params);
      if (!login) {
        this.#fail(
          `the integration needs a login (start URI ${params.startUri}) and none was given: answer the prompt of an interactive \`galaxy sim\`, or pass --login <file> holding {"end_uri": "…", "cookies": []}`,
        );
        break;
      }
      if (!safeRegExp(params.endUriRegex)?.test(login.end_uri)) {
        this.#options.out.problem(
          `  warning: ${login.end_uri} does not match end_uri_regex ${params.endUriRegex}: Galaxy would not close its login window there`,
        );
      }
      answer = await this.#request("pass_login_credentials", {
        step: value.nextStep,
        credentials: { end_uri: login.end_uri },
        cookies: login.cookies ?? [],
      });
    }
    this.steps.push({
      step: "authenticate",
      ms: elapsed(started),
      error: answer?.error ?? "not logged in",
    });
    return false;
  }

  /** Runs a whole-list import (owned, local, friends, subscriptions) and shows its table. */
  async listImport(name: string): Promise<unknown[] | undefined> {
    const spec = LIST_IMPORTS[name];
    if (!this.#declares(spec.feature, spec.method)) return undefined;
    const started = performance.now();
    const answer = await this.#request(spec.method);
    if (!answer) return undefined;
    if (!answer.value) {
      this.steps.push({
        step: spec.method,
        ms: elapsed(started),
        error: answer.error ?? answer.problems?.join("; "),
      });
      return undefined;
    }
    const list = (answer.value as Record<string, unknown[]>)[spec.key];
    const ms = elapsed(started);
    this.#options.out.info(
      `✓ ${spec.method}: ${list.length} ${spec.noun} in ${seconds(ms)} (${
        bytes(answer.size ?? 0)
      })`,
    );
    this.#options.out.info(indent(table(list as Record<string, unknown>[]).split("\n")));
    this.steps.push({ step: spec.method, ms, result: list });
    if (name === "owned") this.known.gameIds = list.map((g) => (g as { gameId: string }).gameId);
    if (name === "friends") this.known.userIds = list.map((u) => (u as { userId: string }).userId);
    if (name === "subscriptions") {
      this.known.subscriptionNames = list.map((s) =>
        (s as { subscriptionName: string }).subscriptionName
      );
    }
    return list;
  }

  /** The ids a batched import uses when none are given: what the list imports found. */
  async defaultIds(spec: ImportSpec): Promise<string[]> {
    const [key, list] = spec.idsParam === "user_id_list"
      ? ["userIds", "friends"] as const
      : spec.idsParam === "subscription_names"
      ? ["subscriptionNames", "subscriptions"] as const
      : ["gameIds", "owned"] as const;
    if (
      !this.known[key] && this.capabilities.features.includes(LIST_IMPORTS[list].feature as never)
    ) {
      this.#options.out.info(
        `  (${spec.idsParam} not given: taking them from ${LIST_IMPORTS[list].method})`,
      );
      await this.listImport(list);
    }
    // Asked once: a failed list import is not retried for every batched import after it.
    return this.known[key] ??= [];
  }

  /** Runs a batched import, with progress, and shows each id's result. */
  async batchedImport(spec: ImportSpec, ids?: readonly string[]): Promise<ImportRun | undefined> {
    if (!this.#declares(spec.feature, spec.method)) return undefined;
    const list = ids ?? await this.defaultIds(spec);
    const started = performance.now();
    let current: ImportRun | undefined;
    const stop = this.#progress(() => {
      const done = current
        ? Object.keys(current.values).length + Object.keys(current.errors).length
        : 0;
      return `${spec.name}: ${done}/${list.length} ids received`;
    });
    let run: ImportRun;
    try {
      run = await this.#peer.startImport(spec.method, list, this.#options.timeoutMs, (r) => {
        current = r;
      });
    } catch (error) {
      if (error instanceof PeerError && error.reason === "closed") this.#lost(spec.method);
      else if (!(error instanceof PeerError)) throw error;
      return undefined;
    } finally {
      stop();
    }
    const ms = elapsed(started);
    if (run.error) {
      this.#fail(`${spec.method} answered error ${run.error.code} ${run.error.message}`);
      this.steps.push({ step: spec.method, ms, error: run.error });
      return run;
    }
    const ok = Object.keys(run.values).length;
    const failed = Object.keys(run.errors).length;
    this.#options.out.info(
      `${
        run.finished ? "✓" : "✗"
      } ${spec.method}: ${list.length} ids → ${ok} received, ${failed} failed${
        run.finished ? "" : ", never finished"
      } in ${seconds(ms)}`,
    );
    if (list.length > 0) {
      this.#options.out.info(indent(table(importRows("id", run.values, run.errors)).split("\n")));
    }
    this.steps.push({ step: spec.method, ms, result: { values: run.values, errors: run.errors } });
    return run;
  }

  /** Sends an action notification (launch_game, …) and waits briefly for what it causes. */
  async action(method: string, gameId?: string): Promise<void> {
    const spec = ACTIONS[method];
    if (!this.#declares(spec.feature, method)) return;
    const before = this.#peer.notifications.length;
    await this.#peer.notify(method, spec.gameId ? { game_id: gameId } : {});
    // Pings are answered in order, so an answered ping means the action was read.
    await this.#peer.request("ping", undefined, this.#options.timeoutMs).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const caused = this.#peer.notifications.length - before;
    this.#options.out.info(
      `✓ ${method}${gameId ? ` ${gameId}` : ""} sent; ${caused} notification${
        caused === 1 ? "" : "s"
      } followed`,
    );
    this.steps.push({ step: method, ms: 0, result: { notifications: caused } });
  }

  /**
   * Sends any request as is and reports its answer (for scripts and replays); an error
   * answer is a failure unless `errorExpected`.
   */
  async call(method: string, params?: unknown, errorExpected = false): Promise<Answer | undefined> {
    const started = performance.now();
    const answer = await this.#request(method, params, errorExpected);
    if (answer && !answer.error) {
      this.#options.out.info(`✓ ${method}: ${preview(answer.value ?? answer.result)}`);
    }
    this.steps.push({
      step: method,
      ms: elapsed(started),
      result: answer?.value ?? answer?.result,
      error: answer?.error,
    });
    return answer;
  }

  /** Sends any notification as is. */
  async notify(method: string, params?: unknown): Promise<void> {
    await this.#peer.notify(method, params);
    this.steps.push({ step: method, ms: 0 });
  }

  /**
   * Shuts the integration down as Galaxy does, waits for it to exit, and returns the
   * simulator's exit code: 0 when nothing went wrong, 1 otherwise.
   */
  async finish(): Promise<number> {
    clearInterval(this.#pinger);
    if (!this.#peer.isClosed) {
      const answer = await this.#peer.request("shutdown", undefined, this.#options.timeoutMs)
        .catch(() => undefined);
      if (answer) this.#options.out.info("✓ shutdown answered");
    }
    this.#peer.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      this.#launched.exited,
      new Promise<undefined>((
        resolve,
      ) => (timer = setTimeout(() => resolve(undefined), this.#options.timeoutMs))),
    ]);
    clearTimeout(timer);
    if (code === undefined) {
      this.#fail(
        `the integration did not exit within ${
          seconds(this.#options.timeoutMs)
        } of shutdown; killed`,
      );
      try {
        this.#launched.process.kill("SIGKILL");
      } catch {
        // Exited meanwhile.
      }
      await this.#launched.exited;
    } else if (code !== 0) {
      this.#fail(
        `the integration exited with code ${code}${
          this.#outputTail.length > 0 ? `; its last output:\n${indent(this.#outputTail)}` : ""
        }`,
      );
    } else {
      this.#options.out.info("✓ the integration exited with code 0");
    }
    this.#transcript.close();
    await this.#peer.ended;
    for (const denial of this.#launched.denials) this.#fail(denial);
    const problems = this.violations.length + this.failures.length;
    if (problems > 0) {
      this.#options.out.problem(
        `✗ ${this.violations.length} protocol violation(s), ${this.failures.length} other problem(s)`,
      );
    }
    if (this.#options.transcript) {
      this.#options.out.info(`transcript: ${this.#options.transcript}`);
    }
    return problems > 0 ? 1 : 0;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function indent(lines: readonly string[]): string {
  return lines.map((line) => `    ${line}`).join("\n");
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
