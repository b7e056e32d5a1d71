import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CoreError, Outcome, SourcePreview, SourceView } from "$lib/ipc/api";
import { preview, source } from "./fixtures";
import { SourcePreviewStore, type PreviewApi } from "./preview.svelte";
import { SourcesStore, type SourcesApi } from "./sources.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (code: CoreError["code"], message: string): Outcome<never> => ({ ok: false, error: { code, message } });

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeApi(initial: SourceView[]) {
  const state = {
    sources: initial,
    calls: [] as string[],
    changed: () => {},
    /** When set, sourcesList waits for it. */
    gate: null as Promise<void> | null,
  };
  const set = (id: number, patch: Partial<SourceView>) => {
    state.sources = state.sources.map((s) => (s.id === id ? { ...s, ...patch } : s));
    return state.sources.find((s) => s.id === id);
  };
  const view = (id: number, patch: Partial<SourceView>): Outcome<SourceView> => {
    const found = set(id, patch);
    return found ? ok(found) : fail("NotFound", `There is no source #${id}.`);
  };
  const api: SourcesApi = {
    async sourcesList() {
      state.calls.push("sourcesList");
      if (state.gate) await state.gate;
      return ok(state.sources);
    },
    async sourceAdd(add) {
      state.calls.push(`sourceAdd(${add.url})`);
      if (add.schedule?.kind === "cron" && add.schedule.expr === "bad") return fail("InvalidInput", '"bad" is not a 5-field cron expression.');
      const created = source(100, { url: add.url ?? "", name: add.name ?? "Suggested" });
      state.sources = [...state.sources, created];
      return ok(created);
    },
    async sourceEdit(id, edit) {
      return view(id, { name: edit.name });
    },
    async sourcePause(id) {
      state.calls.push(`sourcePause(${id})`);
      return view(id, { state: "paused" });
    },
    async sourceResume(id) {
      state.calls.push(`sourceResume(${id})`);
      return view(id, { state: "active" });
    },
    async sourceCheck(id) {
      state.calls.push(`sourceCheck(${id})`);
      return view(id, { state: "checking" });
    },
    async sourceFillGap(id) {
      state.calls.push(`sourceFillGap(${id})`);
      return view(id, { state: "checking", gap: false });
    },
    async sourceRemove(id, deleteFiles) {
      state.calls.push(`sourceRemove(${id}, ${deleteFiles})`);
      state.sources = state.sources.filter((s) => s.id !== id);
      return ok(deleteFiles ? 7 : 0);
    },
    async cookiesImport(account) {
      state.calls.push(`cookiesImport(${account})`);
      return ok([".instagram.com"]);
    },
    async onSourcesChanged(handler) {
      state.changed = handler;
      return ok(() => {});
    },
  };
  return { api, state };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("SourcesStore", () => {
  it("lists the sources on start", async () => {
    const { api } = fakeApi([source(1), source(2)]);
    const store = new SourcesStore(api);
    await store.start();
    expect(store.loaded).toBe(true);
    expect(store.sources.map((s) => s.id)).toEqual([1, 2]);
  });

  it("coalesces a burst of sources-changed events into one list in flight and one after", async () => {
    const { api, state } = fakeApi([source(1)]);
    const store = new SourcesStore(api);
    await store.start();
    state.calls = [];
    const gate = deferred<void>();
    state.gate = gate.promise;
    for (let i = 0; i < 10; i++) state.changed();
    await settle();
    expect(state.calls).toEqual(["sourcesList"]);
    state.sources = [source(1, { state: "checking" })];
    state.gate = null;
    gate.resolve();
    await settle();
    expect(state.calls).toEqual(["sourcesList", "sourcesList"]);
    expect(store.sources[0]?.state).toBe("checking");
    state.changed();
    await settle();
    expect(state.calls.length).toBe(3);
  });

  it("stops listening on stop", async () => {
    let unlistened = 0;
    const { api } = fakeApi([]);
    const store = new SourcesStore({ ...api, onSourcesChanged: async () => ok(() => void unlistened++) });
    await store.start();
    store.stop();
    expect(unlistened).toBe(1);
  });

  it("checks, pauses, resumes and fills gaps in place", async () => {
    const { api, state } = fakeApi([source(1), source(2, { state: "paused" }), source(3, { gap: true })]);
    const store = new SourcesStore(api);
    await store.start();
    await store.check(1);
    expect(store.byId(1)?.state).toBe("checking");
    await store.togglePause(2);
    expect(store.byId(2)?.state).toBe("active");
    await store.togglePause(2);
    expect(store.byId(2)?.state).toBe("paused");
    await store.fillGap(3);
    expect(store.byId(3)?.gap).toBe(false);
    expect(state.calls.filter((c) => c !== "sourcesList")).toEqual([
      "sourceCheck(1)",
      "sourceResume(2)",
      "sourcePause(2)",
      "sourceFillGap(3)",
    ]);
  });

  it("checks all active sources, not paused ones", async () => {
    const { api, state } = fakeApi([source(1), source(2, { state: "paused" }), source(3, { state: "failing" })]);
    const store = new SourcesStore(api);
    await store.start();
    await store.checkAll();
    expect(state.calls.filter((c) => c.startsWith("sourceCheck"))).toEqual(["sourceCheck(1)", "sourceCheck(3)"]);
  });

  it("shows a refusal and leaves the row as it was", async () => {
    const { api } = fakeApi([source(1)]);
    const store = new SourcesStore(api);
    await store.start();
    expect(await store.check(9)).toBe(false);
    expect(store.actionError?.code).toBe("NotFound");
  });

  it("removes, keeping or binning the files", async () => {
    const { api, state } = fakeApi([source(1), source(2)]);
    const store = new SourcesStore(api);
    await store.start();
    await store.remove(1, false);
    expect(store.message).toMatch(/files were kept/);
    await store.remove(2, true);
    expect(store.message).toMatch(/7 files moved to the recycle bin/);
    expect(store.sources).toEqual([]);
    expect(state.calls).toContain("sourceRemove(2, true)");
  });

  it("adds a source and hands a refusal back to the dialog", async () => {
    const { api } = fakeApi([]);
    const store = new SourcesStore(api);
    await store.start();
    const added = await store.add({ url: "https://www.reddit.com/r/pics/", name: "Pics" });
    expect(added.ok).toBe(true);
    expect(store.sources.map((s) => s.name)).toEqual(["Pics"]);
    const refused = await store.add({ url: "https://x.com/a", schedule: { kind: "cron", expr: "bad" } });
    expect(refused.ok ? null : refused.error.message).toMatch(/cron/);
    expect(store.actionError).toBeNull();
  });
});

describe("SourcePreviewStore", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function previewApi() {
    const calls: string[] = [];
    const answers = new Map<string, ReturnType<typeof deferred<Outcome<SourcePreview>>>>();
    const api: PreviewApi = {
      sourcePreview(url) {
        calls.push(url);
        const answer = deferred<Outcome<SourcePreview>>();
        answers.set(url, answer);
        return answer.promise;
      },
    };
    return { api, calls, answers };
  }

  it("asks once the typing stopped for 400 ms", async () => {
    const { api, calls } = previewApi();
    const store = new SourcePreviewStore(api);
    store.input("https://www.reddit.com/r/p");
    await vi.advanceTimersByTimeAsync(200);
    store.input("https://www.reddit.com/r/pics");
    await vi.advanceTimersByTimeAsync(399);
    expect(calls).toEqual([]);
    expect(store.loading).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(["https://www.reddit.com/r/pics"]);
  });

  it("asks at once on a paste, and not again for the same URL", async () => {
    const { api, calls, answers } = previewApi();
    const store = new SourcePreviewStore(api);
    store.now(" https://www.reddit.com/r/pics ");
    expect(calls).toEqual(["https://www.reddit.com/r/pics"]);
    answers.get("https://www.reddit.com/r/pics")?.resolve(ok(preview()));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.preview?.suggestedName).toBe("r/EarthPorn");
    store.input("https://www.reddit.com/r/pics");
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.length).toBe(1);
  });

  it("drops an answer for a URL that was replaced", async () => {
    const { api, answers } = previewApi();
    const store = new SourcePreviewStore(api);
    store.now("https://a.example.com/one");
    store.now("https://b.example.com/two");
    answers.get("https://b.example.com/two")?.resolve(fail("UnsupportedUrl", "No extractor handles https://b.example.com/two"));
    await vi.advanceTimersByTimeAsync(0);
    answers.get("https://a.example.com/one")?.resolve(ok(preview()));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.preview).toBeNull();
    expect(store.error?.message).toMatch(/No extractor handles/);
    expect(store.loading).toBe(false);
  });

  it("asks nothing for text that is not a link", async () => {
    const { api, calls } = previewApi();
    const store = new SourcePreviewStore(api);
    store.input("reddit");
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([]);
    expect(store.loading).toBe(false);
  });
});
