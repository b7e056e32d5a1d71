import { describe, expect, it } from "vitest";
import type { HistoryStats, Outcome } from "$lib/ipc/api";
import { StatisticsStore, type StatisticsApi } from "./statistics.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const stats = (files: number): HistoryStats => ({
  days: [{ day: "2025-03-01", origin: "download", platform: null, files, bytes: files * 1024 }],
  speed: [],
  topSources: [],
});

function fakeApi() {
  const state = { asked: [] as number[], files: 1, changed: null as (() => void) | null, release: [] as Array<() => void>, hold: false };
  const api: StatisticsApi = {
    async historyStats(days) {
      state.asked.push(days);
      if (state.hold) await new Promise<void>((resolve) => state.release.push(resolve));
      return ok(stats(state.files));
    },
    async onHistoryChanged(handler) {
      state.changed = handler;
      return ok(() => (state.changed = null));
    },
  };
  return { api, state };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("StatisticsStore", () => {
  it("asks for the last 30 days by default, and another range when chosen", async () => {
    const { api, state } = fakeApi();
    const store = new StatisticsStore(api, () => 42);
    await store.start();
    expect(state.asked).toEqual([30]);
    expect(store.shown).toEqual({ days: 30, at: 42 });
    await store.setDays(7);
    expect(state.asked).toEqual([30, 7]);
    expect(store.shown?.days).toBe(7);
    store.stop();
  });

  it("coalesces a burst of history events into one more call", async () => {
    const { api, state } = fakeApi();
    const store = new StatisticsStore(api);
    await store.start();
    state.hold = true;
    state.files = 5;
    for (let i = 0; i < 10; i++) state.changed?.();
    await settle();
    expect(state.asked).toEqual([30, 30]);
    state.release.shift()?.();
    await settle();
    expect(state.asked).toEqual([30, 30, 30]);
    state.release.shift()?.();
    await settle();
    expect(store.stats?.days[0]?.files).toBe(5);
    store.stop();
    expect(state.changed).toBeNull();
  });

  it("never shows an answer for a range no longer chosen", async () => {
    const { api, state } = fakeApi();
    const store = new StatisticsStore(api);
    state.hold = true;
    const started = store.start();
    await settle();
    const chosen = store.setDays(90);
    state.release.shift()?.();
    await settle();
    expect(store.shown).toBeNull();
    state.release.shift()?.();
    await Promise.all([started, chosen]);
    expect(state.asked).toEqual([30, 90]);
    expect(store.shown?.days).toBe(90);
    store.stop();
  });

  it("keeps the core's refusal to show", async () => {
    const api: StatisticsApi = {
      historyStats: async () => ({ ok: false, error: { code: "Database", message: "The database is locked." } }),
      onHistoryChanged: async () => ok(() => {}),
    };
    const store = new StatisticsStore(api);
    await store.start();
    expect(store.error).toEqual({ code: "Database", message: "The database is locked." });
    expect(store.stats).toBeNull();
  });
});
