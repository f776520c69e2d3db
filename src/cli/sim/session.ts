/**
 * One simulated Galaxy session: start the integration, handshake, log in, run imports
 * and actions, shut down; every message checked, recorded, and reported.
 *
 * @module
 */
import { preview, seconds, type SecretSet } from "../../log/mod.ts";
import type { Feature } from "../../protocol/mod.ts";
import {
  type Answer,
  type Capabilities,
  describeOutstanding,
  GalaxyPeer,
  IMPORT_SPECS,
  type ImportRun,
  type ImportSpec,
  PeerError,
  ViolationKind,
} from "../../testing/mod.ts";
import type { WireError } from "../../wire/mod.ts";
import { SimError } from "./errors.ts";
import { bytes, importRows, table } from "./format.ts";
import { launch, type Launched } from "./launch.ts";
import { ACTIONS, BATCHED_IMPORTS, type Ending, LIST_IMPORTS } from "./catalog.ts";
import { GALAXY_GIVES_UP, type Limits } from "./limits.ts";
import { type Output, scrubbed } from "./output.ts";
import { SimState } from "./state.ts";
import { TranscriptWriter } from "./transcript.ts";

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
  /** Longest wait for an answer, an import's end, the connection (Galaxy's own limits aside). */
  timeoutMs: number;
  /** Galaxy's limits, in milliseconds. */
  limits: Limits;
  /** Every secret seen; whatever the session prints or records is scrubbed of them. */
  secrets: SecretSet;
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

const OUTPUT_TAIL = 20;
const LOCAL_SIZE = "start_local_size_import";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
  readonly #out: Output;
  readonly #peer: GalaxyPeer;
  readonly #launched: Launched;
  readonly #transcript: TranscriptWriter;
  readonly #outputTail: string[];
  #pinger: ReturnType<typeof setInterval> | undefined;
  #pinging = false;
  /** Whether Galaxy is ready for pushes: it has sent its first request after initialize_cache. */
  #ready = false;
  #cacheSentAt: number | undefined;
  #ending: Promise<void> | null = null;

  private constructor(
    options: SimOptions,
    launched: Launched,
    transcript: TranscriptWriter,
    outputTail: string[],
  ) {
    this.#options = options;
    this.#out = scrubbed(options.out, options.secrets);
    const out = this.#out;
    this.#launched = launched;
    this.#transcript = transcript;
    this.#outputTail = outputTail;
    this.#peer = new GalaxyPeer(launched.conn, {
      onLine: (from, line, message) => transcript.message(from, message, line),
      onViolation: (violation) => {
        transcript.violation(violation.message);
        out.problem(`✗ protocol: ${violation.message}`);
      },
      onNotification: (n) => this.#onNotification(n.method, n.params),
      onRequest: (method) => {
        // Galaxy renews tokens only for platforms it knows; a simulator cannot.
        out.info(`  the integration asked ${method}; the simulator answers an error`);
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
    const transcript = await TranscriptWriter.open(
      options.transcript,
      options.command,
      token,
      options.secrets,
    );
    const out = scrubbed(options.out, options.secrets);
    const tail: string[] = [];
    const onOutput = (line: string) => {
      const clean = transcript.output(line);
      tail.push(clean);
      if (tail.length > OUTPUT_TAIL) tail.shift();
      if (options.verbose) out.info(`  | ${clean}`);
    };
    out.info(`▶ starting ${options.command.join(" ")}`);
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
    this.#out.info(
      `✓ capabilities: platform ${platformName}, ${features.length} feature${
        features.length === 1 ? "" : "s"
      }: ${features.join(", ")}`,
    );
    this.state = await SimState.load(this.#options.stateRoot, platformName, this.#options.fresh);
    this.#options.secrets.addFrom(this.state.credentials);
    if (this.#options.logout) await this.state.forgetCredentials();
    const size = JSON.stringify(this.state.cache).length;
    this.#cacheSentAt = performance.now();
    await this.#request("initialize_cache", { data: this.state.cache });
    this.#out.info(
      `✓ initialize_cache: ${bytes(size)}${
        this.#options.fresh ? " (fresh)" : ` from ${this.state.dir}/cache.json`
      }`,
    );
    // Galaxy drops pushes for a moment after initialize_cache; its next request (a ping) is
    // the first sign that it is ready, and what the runtime waits for (§10).
    const wait = this.#cacheSentAt + this.#options.limits.notReady - performance.now();
    if (wait > 0) await sleep(wait);
    this.#ready = true;
    this.#ping();
    if (this.#options.limits.pingInterval > 0) {
      this.#pinger = setInterval(() => this.#ping(), this.#options.limits.pingInterval);
    }
  }

  #ping(): void {
    if (this.#pinging || this.#peer.isClosed || this.#ending) return;
    this.#pinging = true;
    const limit = this.#options.limits.notResponding;
    const timer = limit > 0 ? setTimeout(() => this.#notResponding(limit), limit) : undefined;
    this.#peer.request("ping")
      .catch(() => {}) // Closed: the session's end reports it.
      .finally(() => {
        clearTimeout(timer);
        this.#pinging = false;
      });
  }

  #notResponding(limit: number): void {
    if (this.#ending || this.#peer.isClosed) return;
    const grace = this.#options.limits.shutdownGrace;
    this.#peer.report(
      ViolationKind.NotResponding,
      `not responding: a ping went unanswered for ${
        seconds(limit)
      } (the event loop is blocked, or pushes delay the answers); outstanding when it stopped answering: ${
        describeOutstanding(this.#peer.outstanding())
      }. Galaxy now sends shutdown and kills the process ${seconds(grace)} later`,
    );
    void this.end("shutdown");
  }

  #onNotification(method: string, params: unknown): void {
    if (!this.#ready) {
      const when = this.#cacheSentAt === undefined
        ? "before initialize_cache"
        : `${Math.round(performance.now() - this.#cacheSentAt)} ms after initialize_cache`;
      this.#peer.report(
        ViolationKind.LostPush,
        `${method} arrived ${when}, before Galaxy's first request after it: Galaxy is not ready yet and drops it (hold start-up pushes until then, §10)`,
      );
      return;
    }
    if (method === "store_credentials" && params && typeof params === "object") {
      this.#out.info("  ← store_credentials: kept for the next run (****)");
      this.state?.storeCredentials(params as Record<string, unknown>).catch((e) =>
        this.#keepFailed(e)
      );
    } else if (method === "push_cache" && params && typeof params === "object") {
      const data = (params as { data?: unknown }).data;
      if (data && typeof data === "object") {
        this.#out.info("  ← push_cache: kept for the next run");
        this.state?.storeCache(data as Record<string, unknown>).catch((e) => this.#keepFailed(e));
      }
    } else if (!IMPORT_SPECS.has(method) && !/_import_/.test(method)) {
      this.#out.info(`  ← ${method} ${JSON.stringify(params)}`);
    }
  }

  #keepFailed(error: unknown): void {
    this.#fail(`cannot keep the state in ${this.state.dir}: ${(error as Error).message}`);
  }

  #fail(message: string): void {
    this.failures.push(message);
    this.#out.problem(`✗ ${message}`);
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
    const givesUp = GALAXY_GIVES_UP[method];
    try {
      const answer = givesUp
        ? await this.#galaxyLimited(method, params, givesUp)
        : await this.#peer.request(method, params, this.#options.timeoutMs);
      if (!answer) return undefined;
      if (answer.error) {
        (errorExpected
          ? (m: string) => this.#out.info(`✓ ${m}, as expected`)
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

  /** A request Galaxy stops waiting for after one of its limits: undefined then. */
  async #galaxyLimited(
    method: string,
    params: unknown,
    givesUp: { limit: keyof Limits; then: string },
  ): Promise<Answer | undefined> {
    const limit = this.#options.limits[givesUp.limit];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((
      resolve,
    ) => (timer = setTimeout(() => resolve(undefined), limit)));
    // No timeout of the peer's own: the request stays pending, so a late answer is known.
    const answer = await Promise.race([this.#peer.request(method, params), late]);
    clearTimeout(timer);
    if (!answer) {
      this.#peer.report(
        ViolationKind.Timeout,
        `${method} not answered within ${seconds(limit)}: ${givesUp.then}`,
      );
    }
    return answer;
  }

  #lost(method: string): void {
    // Galaxy ended the session itself (a judgement reported already), or the integration
    // went away: its exit code and last output follow once it has exited (see finish).
    if (this.#ending) return;
    this.#fail(`the integration closed the connection during ${method}`);
  }

  #progress(describe: () => string): () => void {
    const started = performance.now();
    const interval = this.#options.progressIntervalMs;
    const timer = interval > 0
      ? setInterval(
        () =>
          this.#out.progress(
            `  … ${describe()}, ${seconds(performance.now() - started)}`,
          ),
        interval,
      )
      : undefined;
    return () => clearInterval(timer);
  }

  #declares(feature: Feature, what: string): boolean {
    if (this.capabilities.features.includes(feature)) return true;
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
        this.#out.info(
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
      this.#out.info(
        `  login needed (${value.nextStep}): Galaxy opens "${params.windowTitle}" at ${params.startUri}`,
      );
      const login = await prompt(params);
      if (!login) {
        this.#fail(
          `the integration needs a login (start URI ${params.startUri}) and none was given: answer the prompt of an interactive \`galaxy sim\`, or pass --login <file> holding {"end_uri": "…", "cookies": []}`,
        );
        break;
      }
      this.#keepSecret(login);
      if (!safeRegExp(params.endUriRegex)?.test(login.end_uri)) {
        this.#out.problem(
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

  /** What a login window ended on is a secret: the address, its query values, the cookies. */
  #keepSecret(login: LoginAnswer): void {
    this.#options.secrets.addFrom([
      login.end_uri,
      ...queryValues(login.end_uri),
      ...(login.cookies ?? []).map((cookie) => cookie.value),
    ]);
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
    this.#out.info(
      `✓ ${spec.method}: ${list.length} ${spec.noun} in ${seconds(ms)} (${
        bytes(answer.size ?? 0)
      })`,
    );
    this.#out.info(indent(table(list as Record<string, unknown>[]).split("\n")));
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
      !this.known[key] && this.capabilities.features.includes(LIST_IMPORTS[list].feature)
    ) {
      this.#out.info(
        `  (${spec.idsParam} not given: taking them from ${LIST_IMPORTS[list].method})`,
      );
      await this.listImport(list);
    }
    // Asked once: a failed list import is not retried for every batched import after it.
    return this.known[key] ??= [];
  }

  #importLimit(spec: ImportSpec): number {
    return spec.method === LOCAL_SIZE ? this.#options.limits.localSize : this.#options.timeoutMs;
  }

  /**
   * Galaxy's start-up sync: owned and local games asked together (one write), then game
   * times and OS compatibility of the owned games together, as far as they are declared.
   */
  async sync(): Promise<void> {
    const { features } = this.capabilities;
    const lists = ["owned", "local"].filter((n) => features.includes(LIST_IMPORTS[n].feature));
    await Promise.all(lists.map((name) => this.listImport(name)));
    const batched = ["game-times", "os-compatibility"].map((n) => BATCHED_IMPORTS.get(n)!)
      .filter((spec) => features.includes(spec.feature));
    const ids = this.known.gameIds ?? [];
    await Promise.all(batched.map((spec) => this.batchedImport(spec, ids)));
  }

  /**
   * A per-game burst, as Galaxy 2.1.10+ sends after a sync: one one-id `start_*_import` per
   * id, all in one write. Each must be accepted and finished; a refused one loses its data.
   */
  async burst(spec: ImportSpec, ids?: readonly string[]): Promise<ImportRun[] | undefined> {
    if (!this.#declares(spec.feature, spec.method)) return undefined;
    const list = ids ?? await this.defaultIds(spec);
    const started = performance.now();
    const settled = await Promise.allSettled(
      list.map((id) => this.#peer.startImport(spec.method, [id], this.#importLimit(spec))),
    );
    const runs = settled.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    const ms = elapsed(started);
    const refused = runs.filter((r) => r.error);
    const finished = runs.filter((r) => r.finished);
    const values = finished.filter((r) => Object.keys(r.values).length > 0).length;
    const failed = finished.filter((r) => Object.keys(r.errors).length > 0).length;
    this.#out.info(
      `${
        refused.length === 0 && finished.length === list.length ? "✓" : "✗"
      } burst of ${list.length} one-id ${spec.method}: ${
        list.length - refused.length
      } accepted, ${finished.length} finished, ${values} received, ${failed} failed in ${
        seconds(ms)
      }`,
    );
    if (refused.length > 0) {
      const codes = [...new Set(refused.map((r) => `${r.error!.code} ${r.error!.message}`))];
      this.#fail(
        `${refused.length} of ${list.length} one-id ${spec.method} refused (${
          codes.join("; ")
        }): Galaxy loses the ${spec.name} of ${
          refused.map((r) => JSON.stringify(r.ids[0])).join(", ")
        }; queue an import that arrives while the same import runs (protocol.md §10)`,
      );
    }
    this.steps.push({
      step: `${spec.method} burst`,
      ms,
      result: Object.fromEntries(runs.map((r) => [r.ids[0], r.values[r.ids[0]] ?? null])),
    });
    return runs;
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
      run = await this.#peer.startImport(spec.method, list, this.#importLimit(spec), (r) => {
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
    if (!run.finished && spec.method === LOCAL_SIZE) {
      this.#out.problem(
        `  Galaxy declares an integration crashed when its local-size import runs about ${
          seconds(this.#options.limits.localSize)
        }`,
      );
    }
    if (run.error) {
      this.#fail(`${spec.method} answered error ${run.error.code} ${run.error.message}`);
      this.steps.push({ step: spec.method, ms, error: run.error });
      return run;
    }
    const ok = Object.keys(run.values).length;
    const failed = Object.keys(run.errors).length;
    this.#out.info(
      `${
        run.finished ? "✓" : "✗"
      } ${spec.method}: ${list.length} ids → ${ok} received, ${failed} failed${
        run.finished ? "" : ", never finished"
      } in ${seconds(ms)}`,
    );
    if (list.length > 0) {
      this.#out.info(indent(table(importRows("id", run.values, run.errors)).split("\n")));
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
    await this.#peer.request("ping", {}, this.#options.timeoutMs).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const caused = this.#peer.notifications.length - before;
    this.#out.info(
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
      this.#out.info(`✓ ${method}: ${preview(answer.value ?? answer.result ?? null, 200)}`);
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
   * Ends the session as Galaxy does (once; later calls wait for the first): `shutdown`
   * sends shutdown, `close` closes the socket, `reset` resets it. The integration then has
   * Galaxy's grace to exit before it is killed, and what it was still doing is reported.
   */
  end(how: Ending): Promise<void> {
    return this.#ending ??= this.#end(how);
  }

  async #end(how: Ending): Promise<void> {
    clearInterval(this.#pinger);
    const grace = this.#options.limits.shutdownGrace;
    if (!this.#peer.isClosed) {
      if (how === "shutdown") {
        this.#peer.request("shutdown").then(() => {
          this.#out.info("✓ shutdown answered");
          this.#peer.close();
        }, () => {});
      } else if (how === "close") {
        this.#out.info("  closing the connection without shutdown");
        this.#peer.close();
      } else {
        this.#out.info("  resetting the connection");
        await this.#peer.reset();
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      this.#launched.exited,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), grace))),
    ]);
    clearTimeout(timer);
    if (code === undefined) {
      const waiting = this.#peer.outstanding();
      this.#peer.report(
        ViolationKind.SlowShutdown,
        `the integration was still running ${seconds(grace)} after ${
          how === "shutdown" ? "shutdown" : `the connection's ${how}`
        }, when Galaxy kills it${
          waiting.length > 0 ? `; still outstanding: ${describeOutstanding(waiting)}` : ""
        }${this.#outputTail.length > 0 ? `; its last output:\n${indent(this.#outputTail)}` : ""}`,
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
      this.#out.info("✓ the integration exited with code 0");
    }
    this.#peer.close();
    await this.#peer.ended;
    // What it pushed last (a cache from its shutdown hook) is on disk before we go.
    await this.state?.settled();
  }

  /**
   * Ends the session (with a shutdown, unless it has ended already), waits for the
   * integration to exit, and returns the simulator's exit code: 0 when nothing went wrong,
   * 1 otherwise.
   */
  async finish(): Promise<number> {
    await this.end("shutdown");
    this.#transcript.close();
    // A denial an answer told already (the runtime words its error as the log line we
    // found) is one line, not two.
    for (const denial of this.#launched.denials) {
      if (!this.failures.some((failure) => failure.includes(denial))) this.#fail(denial);
    }
    const problems = this.violations.length + this.failures.length;
    if (problems > 0) {
      this.#out.problem(
        `✗ ${this.violations.length} protocol violation(s), ${this.failures.length} other problem(s)`,
      );
    }
    if (this.#options.transcript) {
      this.#out.info(`transcript: ${this.#options.transcript}`);
    }
    return problems > 0 ? 1 : 0;
  }
}

function queryValues(uri: string): string[] {
  try {
    const url = new URL(uri);
    return [...url.searchParams.values(), url.hash.slice(1), url.password];
  } catch {
    return [];
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function indent(lines: readonly string[]): string {
  return lines.map((line) => `    ${line}`).join("\n");
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
