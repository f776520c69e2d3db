import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { type LocalGame, LocalGameState } from "../protocol/mod.ts";
import { LocalGamesPoller } from "./mod.ts";

const { None, Installed, Running } = LocalGameState;

function setup() {
  let games: LocalGame[] = [];
  let scans = 0;
  let gate: Promise<void> | null = null;
  const pushed: LocalGame[] = [];
  const poller = new LocalGamesPoller({
    scan: async () => {
      scans++;
      if (gate) await gate;
      return games.map((g) => ({ ...g }));
    },
    onChange: (game) => void pushed.push(game),
  });
  return {
    poller,
    pushed,
    set(next: LocalGame[]) {
      games = next;
    },
    get scans() {
      return scans;
    },
    hold(promise: Promise<void> | null) {
      gate = promise;
    },
  };
}

Deno.test("only what changed is pushed; a game gone is pushed as None", async () => {
  const t = setup();
  t.set([{ gameId: "a", localGameState: Installed }, { gameId: "b", localGameState: Installed }]);
  assertEquals((await t.poller.snapshot()).length, 2);
  assertEquals(await t.poller.poll(), []);
  t.set([{ gameId: "a", localGameState: Installed | Running }, {
    gameId: "b",
    localGameState: Installed,
  }]);
  await t.poller.poll();
  t.set([{ gameId: "b", localGameState: Installed }, { gameId: "c", localGameState: Installed }]);
  await t.poller.poll();
  assertEquals(t.pushed, [
    { gameId: "a", localGameState: Installed | Running },
    { gameId: "c", localGameState: Installed },
    { gameId: "a", localGameState: None },
  ]);
});

Deno.test("the first poll only sets the baseline", async () => {
  const t = setup();
  t.set([{ gameId: "a", localGameState: Installed }]);
  assertEquals(await t.poller.poll(), []);
  assertEquals(t.pushed, []);
  assertEquals(t.poller.state.get("a"), Installed);
});

Deno.test("polls never overlap: a call during a poll shares it", async () => {
  const t = setup();
  t.set([{ gameId: "a", localGameState: Installed }]);
  await t.poller.snapshot();
  let release!: () => void;
  t.hold(new Promise((resolve) => release = resolve));
  t.set([{ gameId: "a", localGameState: Installed | Running }]);
  const first = t.poller.poll();
  const second = t.poller.poll();
  const third = t.poller.poll();
  release();
  t.hold(null);
  const results = await Promise.all([first, second, third]);
  assertEquals(t.scans, 2, "one snapshot and one scan");
  assertEquals(t.pushed.length, 1);
  assertEquals(results[1], results[0]);
  // Once it is over, the next call scans again.
  await t.poller.poll();
  assertEquals(t.scans, 3);
});

Deno.test("a failing scan is thrown and the baseline kept", async () => {
  let fail = false;
  const pushed: LocalGame[] = [];
  let state: number = Installed;
  const poller = new LocalGamesPoller({
    scan: () => {
      if (fail) throw new Error("disk gone");
      return [{ gameId: "a", localGameState: state }];
    },
    onChange: (game) => void pushed.push(game),
  });
  await poller.snapshot();
  fail = true;
  await assertRejects(() => poller.poll(), (e) => e instanceof Error && e.message === "disk gone");
  assertEquals(pushed, []);
  // The baseline is still the snapshot's: an unchanged scan reports nothing (a cleared
  // baseline would report "a" as new), a changed one reports the change.
  assertEquals([...poller.state], [["a", Installed]]);
  fail = false;
  assertEquals(await poller.poll(), []);
  state = Installed | Running;
  await poller.poll();
  assertEquals(pushed, [{ gameId: "a", localGameState: Installed | Running }]);
});
