/**
 * Test an integration without Galaxy: serve a Plugin in-process through the real JSON-RPC
 * loop and play Galaxy's part with typed calls, every message checked against the protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect } from "@galaxy-ts/runtime/testing";
 * import { type GameTime, LogLevel, Platform, Plugin, setLogLevel } from "@galaxy-ts/runtime";
 * setLogLevel(LogLevel.Warning); // the runtime's log of what it serves, left out here
 *
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 *   override getGameTime(gameId: string): Promise<GameTime> {
 *     return Promise.resolve({ gameId, timePlayed: 42 });
 *   }
 * }
 *
 * await using galaxy = await connect(new MyPlugin());
 * const times = await galaxy.startGameTimesImport(["1", "2"]);
 * assert(times.values["2"].timePlayed === 42);
 * assert(times.notifications.at(-1)?.method === "game_times_import_finished");
 * ```
 *
 * @module
 */
export {
  type Capabilities,
  connect,
  type ConnectOptions,
  type ImportResult,
  ProtocolViolation,
  TestGalaxy,
} from "./test_galaxy.ts";
export { GalaxyPeer } from "./galaxy_peer.ts";
export {
  type Answer,
  describeOutstanding,
  type GalaxyPeerOptions,
  type ImportRun,
  type Notification,
  type Outstanding,
  PeerError,
  type Side,
  type Violation,
  ViolationKind,
} from "./peer_types.ts";
export { ImportTracker } from "./import_tracker.ts";
export {
  checkAnswer,
  type Checked,
  checkNotification,
  IMPORT_SPECS,
  type ImportSpec,
  INTEGRATION_REQUESTS,
  SENSITIVE,
} from "./galaxy_protocol.ts";
export { toCamelCase } from "./wire_schemas.ts";
export { memoryPipe } from "./memory_transport.ts";
