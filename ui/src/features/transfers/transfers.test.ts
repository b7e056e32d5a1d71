import { describe, expect, it } from "vitest";
import type { DownloadView, Outcome, ProgressSnapshot, TaskView } from "$lib/ipc/api";
import { TransfersStore, type TransfersApi } from "./transfers.svelte";

function view(id: number, patch: Partial<DownloadView> = {}): DownloadView {
  return {
    id,
    url: `https://example.com/${id}.bin`,
    fileName: `${id}.bin`,
    dir: "/downloads",
    totalBytes: 1000,
    receivedBytes: 0,
    state: "queued",
    error: null,
    createdAt: 0,
    connections: 8,
    sha256: null,
    ...patch,
  };
}

function task(id: number, patch: Partial<TaskView> = {}): TaskView {
  return {
    id,
    infoHash: "0123456789abcdef0123456789abcdef01234567",
    name: `Task ${id}`,
    provider: "alldebrid",
    state: "queued",
    label: null,
    dir: "/downloads",
    providerStatus: null,
    providerProgress: null,
    providerSpeed: 0,
    seeders: null,
    totalBytes: null,
    receivedBytes: 0,
    files: [],
    error: null,
    createdAt: id,
    ...patch,
  };
}

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** A scripted core: `list` is what listDownloads returns; calls are recorded. */
function fakeApi(list: DownloadView[] = [], tasks: TaskView[] = []) {
  const state = {
    list,
    tasks,
    listCalls: 0,
    taskListCalls: 0,
    calls: [] as string[],
    emit: (_: ProgressSnapshot) => {},
    /** When set, listDownloads waits for this before answering. */
    gate: null as Promise<void> | null,
  };
  const api: TransfersApi = {
    async listDownloads() {
      state.listCalls += 1;
      const answer = state.list;
      if (state.gate) await state.gate;
      return ok(answer);
    },
    async addDownload(url) {
      state.calls.push(`add ${url}`);
      if (!url.startsWith("http")) {
        return { ok: false, error: { code: "InvalidUrl", message: `not a URL: ${url}` } };
      }
      return ok(view(99, { url }));
    },
    async pauseDownload(id) {
      state.calls.push(`pause ${id}`);
      return ok(view(id, { state: "paused" }));
    },
    async resumeDownload(id) {
      state.calls.push(`resume ${id}`);
      return ok(view(id, { state: "queued" }));
    },
    async cancelDownload(id) {
      state.calls.push(`cancel ${id}`);
      return { ok: false, error: { code: "InvalidState", message: "already completed" } };
    },
    async removeDownload(id, deleteFile) {
      state.calls.push(`remove ${id} ${deleteFile}`);
      return ok(null);
    },
    async moveDownload(id, direction) {
      state.calls.push(`move ${id} ${direction}`);
      if (id === 404) return { ok: false, error: { code: "NotFound", message: "No download with id 404." } };
      return ok(null);
    },
    async pauseAll() {
      state.calls.push("pause all");
      return ok(null);
    },
    async resumeAll() {
      state.calls.push("resume all");
      return ok(null);
    },
    async listTasks() {
      state.taskListCalls += 1;
      return ok(state.tasks);
    },
    async addTask(source, options) {
      state.calls.push(`add task ${source} ${options.selection?.mode}`);
      if (!source.startsWith("magnet:")) {
        return { ok: false, error: { code: "InvalidMagnet", message: "not a magnet" } };
      }
      return ok(task(50));
    },
    async addTorrent(bytes) {
      state.calls.push(`add torrent ${bytes.length} bytes`);
      return ok(task(51));
    },
    async selectTaskFiles(id, indexes) {
      state.calls.push(`select ${id} ${indexes.join(",")}`);
      if (indexes.length === 0) return { ok: false, error: { code: "InvalidInput", message: "Choose a file." } };
      return ok(task(id, { state: "downloading" }));
    },
    async pauseTask(id) {
      state.calls.push(`pause task ${id}`);
      return ok(task(id, { state: "paused" }));
    },
    async resumeTask(id) {
      state.calls.push(`resume task ${id}`);
      return ok(task(id, { state: "queued" }));
    },
    async retryTask(id) {
      state.calls.push(`retry task ${id}`);
      return { ok: false, error: { code: "AuthRequired", message: "Log in to AllDebrid." } };
    },
    async cancelTask(id) {
      state.calls.push(`cancel task ${id}`);
      return ok(task(id, { state: "cancelled" }));
    },
    async removeTask(id, deleteFiles) {
      state.calls.push(`remove task ${id} ${deleteFiles}`);
      return ok(null);
    },
    async onProgressSnapshot(handler) {
      state.emit = handler;
      return ok(() => {
        state.emit = () => {};
      });
    },
  };
  return { api, state };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("TransfersStore", () => {
  it("loads the list on start", async () => {
    const { api } = fakeApi([view(1), view(2)]);
    const store = new TransfersStore(api);
    await store.start();
    expect(store.loaded).toBe(true);
    expect(store.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("merges snapshot figures and refetches only when the revision changes", async () => {
    const { api, state } = fakeApi([view(1)]);
    const store = new TransfersStore(api);
    await store.start();
    expect(state.listCalls).toBe(1);

    state.list = [view(1, { state: "active" })];
    state.emit({
      revision: 7,
      transfers: [
        { id: 1, state: "active", receivedBytes: 500, totalBytes: 1000, bytesPerSecond: 250, etaSeconds: 2, connections: 1, segments: [] },
      ],
    });
    await settle();
    expect(state.listCalls).toBe(2);
    expect(store.rows[0]).toMatchObject({ state: "active", receivedBytes: 500, bytesPerSecond: 250 });
    expect(store.counts.active).toBe(1);
    expect(store.speed).toBe(250);

    state.emit({
      revision: 7,
      transfers: [
        { id: 1, state: "active", receivedBytes: 800, totalBytes: 1000, bytesPerSecond: 300, etaSeconds: 1, connections: 1, segments: [] },
      ],
    });
    await settle();
    expect(state.listCalls).toBe(2);
    expect(store.rows[0]?.receivedBytes).toBe(800);
  });

  it("coalesces refetches requested while one is in flight", async () => {
    const { api, state } = fakeApi([view(1)]);
    const store = new TransfersStore(api);
    await store.start();
    let open!: () => void;
    state.gate = new Promise((resolve) => (open = resolve));
    const first = store.refresh();
    void store.refresh();
    void store.refresh();
    state.list = [view(1), view(2)];
    open();
    state.gate = null;
    await first;
    // one in flight (started before the change) + exactly one more for the 2 requests
    expect(state.listCalls).toBe(3);
    expect(store.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("applies an action's result at once and drops stale live figures", async () => {
    const { api, state } = fakeApi([view(1, { state: "active" })]);
    const store = new TransfersStore(api);
    await store.start();
    state.emit({
      revision: 1,
      transfers: [
        { id: 1, state: "active", receivedBytes: 10, totalBytes: 1000, bytesPerSecond: 5, etaSeconds: 9, connections: 1, segments: [] },
      ],
    });
    state.gate = new Promise(() => {}); // the refetch never answers: only the action result counts
    expect(await store.pause(1)).toBe(true);
    expect(state.calls).toContain("pause 1");
    expect(store.rows[0]?.state).toBe("paused");
    expect(store.speed).toBe(0);
  });

  it("returns the core's error for a refused add and keeps refusals of row actions", async () => {
    const { api } = fakeApi();
    const store = new TransfersStore(api);
    await store.start();
    const result = await store.add("  nonsense ");
    expect(result).toEqual({ ok: false, error: { code: "InvalidUrl", message: "not a URL: nonsense" } });

    expect(await store.cancel(4)).toBe(false);
    expect(store.actionError?.message).toBe("already completed");
    store.dismissActionError();
    expect(store.actionError).toBeNull();
  });

  it("removes a row after the core confirms", async () => {
    const { api, state } = fakeApi([view(1), view(2)]);
    const store = new TransfersStore(api);
    await store.start();
    state.gate = new Promise(() => {});
    expect(await store.remove(1, true)).toBe(true);
    expect(state.calls).toContain("remove 1 true");
    expect(store.rows.map((r) => r.id)).toEqual([2]);
  });

  it("moves a download, pauses and resumes all, and refetches after each", async () => {
    const { api, state } = fakeApi([view(1), view(2)]);
    const store = new TransfersStore(api);
    await store.start();
    const before = state.listCalls;

    expect(await store.move(2, "up")).toBe(true);
    expect(state.listCalls).toBe(before + 1);
    expect(await store.pauseAll()).toBe(true);
    expect(await store.resumeAll()).toBe(true);
    expect(state.calls).toEqual(["move 2 up", "pause all", "resume all"]);
    expect(state.listCalls).toBe(before + 3);

    expect(await store.move(404, "down")).toBe(false);
    expect(store.actionError?.code).toBe("NotFound");
    expect(state.listCalls).toBe(before + 4);
  });

  it("knows the ends of the queue", async () => {
    const { api } = fakeApi([view(1, { state: "completed" }), view(2), view(3, { state: "paused" })]);
    const store = new TransfersStore(api);
    await store.start();
    expect(store.queueEnds).toEqual({ first: 2, last: 3 });
  });

  it("records each live download's speed, and forgets it when it leaves the snapshots", async () => {
    let now = 1000;
    const { api, state } = fakeApi([view(1, { state: "active" }), view(2, { state: "active" })]);
    const store = new TransfersStore(api, () => now);
    await store.start();
    const snapshot = (speeds: Record<number, number>): ProgressSnapshot => ({
      revision: 1,
      transfers: Object.entries(speeds).map(([id, speed]) => ({
        id: Number(id),
        state: "active" as const,
        receivedBytes: 0,
        totalBytes: 1000,
        bytesPerSecond: speed,
        etaSeconds: null,
        connections: 1,
        segments: [],
      })),
    });
    state.emit(snapshot({ 1: 100, 2: 7 }));
    now += 250;
    state.emit(snapshot({ 1: 200, 2: 8 }));
    expect(store.speedSamples(1)).toEqual([
      { t: 1000, v: 100 },
      { t: 1250, v: 200 },
    ]);
    expect(store.speedSamples(2).map((s) => s.v)).toEqual([7, 8]);
    const version = store.historyVersion;

    now += 250;
    state.emit(snapshot({ 1: 300 }));
    expect(store.historyVersion).toBe(version + 1);
    expect(store.speedSamples(1)).toHaveLength(3);
    expect(store.speedSamples(2)).toEqual([]);
    expect(store.speedSamples(99)).toEqual([]);
  });

  it("stops listening on stop", async () => {
    const { api, state } = fakeApi([view(1)]);
    const store = new TransfersStore(api);
    await store.start();
    store.stop();
    state.emit({ revision: 3, transfers: [] });
    await settle();
    expect(state.listCalls).toBe(1);
  });

  it("fetches tasks with downloads, newest task first", async () => {
    const { api, state } = fakeApi([view(1)], [task(1, { createdAt: 10 }), task(2, { createdAt: 20 })]);
    const store = new TransfersStore(api);
    await store.start();
    expect(state.taskListCalls).toBe(1);
    expect(store.taskRows.map((t) => t.id)).toEqual([2, 1]);

    state.emit({ revision: 9, transfers: [] });
    await settle();
    expect(state.listCalls).toBe(2);
    expect(state.taskListCalls).toBe(2);
  });

  it("counts tasks in the status bar and their file downloads in the total speed", async () => {
    const fileDownload = view(70, { state: "active", totalBytes: 1000 });
    const { api, state } = fakeApi(
      [view(1, { state: "paused" })],
      [
        task(1, { state: "resolving", providerProgress: 0.4, providerSpeed: 999 }),
        task(2, {
          state: "downloading",
          files: [{ index: 0, path: "a.mkv", size: 1000, selected: true, download: fileDownload }],
        }),
        task(3, { state: "selecting" }),
      ],
    );
    const store = new TransfersStore(api);
    await store.start();
    state.emit({
      revision: 1,
      transfers: [
        { id: 70, state: "active", receivedBytes: 250, totalBytes: 1000, bytesPerSecond: 40, etaSeconds: 19, connections: 2, segments: [] },
      ],
    });
    expect(store.statusCounts).toEqual({ active: 2, queued: 0, paused: 1, verifying: 0, choosing: 1 });
    expect(store.speed).toBe(40); // the provider's own speed is not ours
    expect(store.taskRows.find((t) => t.id === 2)?.percent).toBe(25);
  });

  it("opens the chooser when a task added with manual selection reaches selecting", async () => {
    const { api, state } = fakeApi();
    const store = new TransfersStore(api);
    await store.start();
    const added = await store.addTask({ text: "magnet:?xt=urn:btih:abc" }, { selection: { mode: "manual" } });
    expect(added.ok).toBe(true);
    expect(state.calls).toContain("add task magnet:?xt=urn:btih:abc manual");
    await settle();
    expect(store.choosing).toBeNull();

    state.tasks = [task(50, { state: "resolving" })];
    await store.refresh();
    expect(store.choosing).toBeNull();

    state.tasks = [task(50, { state: "selecting" })];
    await store.refresh();
    expect(store.choosing).toBe(50);
    expect(store.choosingTask?.id).toBe(50);

    expect((await store.selectFiles(50, [])).ok).toBe(false);
    expect(store.choosing).toBe(50); // a refusal keeps the dialog open
    expect((await store.selectFiles(50, [0, 2])).ok).toBe(true);
    expect(state.calls).toContain("select 50 0,2");
    expect(store.choosing).toBeNull();

    // Once chosen, a later refetch does not open it again.
    await store.refresh();
    expect(store.choosing).toBeNull();
  });

  it("does not open the chooser for tasks added by the rules", async () => {
    const { api, state } = fakeApi();
    const store = new TransfersStore(api);
    await store.start();
    await store.addTask({ bytes: [1, 2, 3] }, { selection: { mode: "auto" } });
    expect(state.calls).toContain("add torrent 3 bytes");
    state.tasks = [task(51, { state: "selecting" })];
    await store.refresh();
    expect(store.choosing).toBeNull();
  });

  it("acts on tasks and keeps the core's refusal", async () => {
    const { api, state } = fakeApi([], [task(4, { state: "downloading" })]);
    const store = new TransfersStore(api);
    await store.start();
    state.gate = new Promise(() => {}); // only the actions' answers count
    expect(await store.pauseTask(4)).toBe(true);
    expect(store.tasks[0]?.state).toBe("paused");
    expect(await store.retryTask(4)).toBe(false);
    expect(store.actionError).toEqual({ code: "AuthRequired", message: "Log in to AllDebrid." });
    expect(await store.removeTask(4, true)).toBe(true);
    expect(state.calls).toEqual(["pause task 4", "retry task 4", "remove task 4 true"]);
    expect(store.tasks).toEqual([]);
    expect(store.actionError).toBeNull();
  });
});
