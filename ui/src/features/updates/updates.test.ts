import { describe, expect, it } from "vitest";
import type { CoreError, Outcome, UpdateOffer, UpdateProgress } from "$lib/ipc/api";
import { UpdatesStore, type UpdatesApi } from "./updates.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const OFFER: UpdateOffer = { version: "1.4.0", currentVersion: "1.3.2", notes: "- Faster", date: null };
const REFUSED: CoreError = { code: "UpdateRefused", message: "The update's signature does not match. Nothing was installed." };

/** A core whose downloadUpdate waits until the test settles it. */
function fakeApi(pending: UpdateOffer | null = null) {
  const state = {
    calls: [] as string[],
    check: ok<UpdateOffer | null>(null),
    install: ok(null) as Outcome<null>,
    settleDownload: (_: Outcome<null>) => {},
    available: null as ((offer: UpdateOffer) => void) | null,
    progress: null as ((progress: UpdateProgress) => void) | null,
    unlistened: 0,
  };
  const api: UpdatesApi = {
    async checkForUpdate() {
      state.calls.push("check");
      return state.check;
    },
    async pendingUpdate() {
      state.calls.push("pending");
      return ok(pending);
    },
    downloadUpdate() {
      state.calls.push("download");
      return new Promise((resolve) => (state.settleDownload = resolve));
    },
    async installUpdate() {
      state.calls.push("install");
      return state.install;
    },
    async onUpdateAvailable(handler) {
      state.available = handler;
      return ok(() => (state.unlistened += 1));
    },
    async onUpdateProgress(handler) {
      state.progress = handler;
      return ok(() => (state.unlistened += 1));
    },
  };
  return { api, state };
}

describe("UpdatesStore", () => {
  it("listens first, then shows an update found before the window listened", async () => {
    const { api, state } = fakeApi(OFFER);
    const store = new UpdatesStore(api);
    await store.start();
    expect(state.available).not.toBeNull();
    expect(state.calls).toEqual(["pending"]);
    expect(store.open).toBe(true);
    expect(store.offer).toEqual(OFFER);
    expect(store.phase).toEqual({ state: "offered" });
    expect(store.focusRequest).toBe(0);
    store.stop();
    expect(state.unlistened).toBe(2);
  });

  it("opens on the event, hides on Later and opens again on the next event", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    await store.start();
    expect(store.open).toBe(false);
    state.available?.(OFFER);
    expect(store.open).toBe(true);
    store.dismiss();
    expect(store.open).toBe(false);
    state.available?.(OFFER);
    expect(store.open).toBe(true);
  });

  it("goes offered → downloading (with progress) → ready → installing", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    await store.start();
    state.progress?.({ downloaded: 1, total: 2 }); // not downloading: ignored
    state.available?.(OFFER);
    const download = store.download();
    expect(store.phase).toEqual({ state: "downloading", progress: null });
    state.progress?.({ downloaded: 10, total: 40 });
    expect(store.phase).toEqual({ state: "downloading", progress: { downloaded: 10, total: 40 } });

    // The same version offered again (e.g. Check now) keeps the download going.
    state.available?.(OFFER);
    expect(store.phase.state).toBe("downloading");

    store.dismiss(); // Hide: the outcome brings the prompt back
    state.settleDownload(ok(null));
    await download;
    expect(store.phase).toEqual({ state: "ready", installing: false });
    expect(store.open).toBe(true);

    state.install = ok(null); // the core then restarts Haul: the prompt stays at "installing"
    await store.install();
    expect(store.phase).toEqual({ state: "ready", installing: true });
    expect(state.calls.filter((c) => c === "download" || c === "install")).toEqual(["download", "install"]);
  });

  it("fails with the core's refusal, and starts over when offered again", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    store.offerUpdate(OFFER);
    const download = store.download();
    state.settleDownload({ ok: false, error: REFUSED });
    await download;
    expect(store.phase).toEqual({ state: "failed", error: REFUSED });
    store.offerUpdate(OFFER);
    expect(store.phase).toEqual({ state: "offered" });
  });

  it("reports a failed install", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    store.offerUpdate(OFFER);
    const download = store.download();
    state.settleDownload(ok(null));
    await download;
    const error: CoreError = { code: "Io", message: "Permission denied." };
    state.install = { ok: false, error };
    await store.install();
    expect(store.phase).toEqual({ state: "failed", error });
  });

  it("Check now: up to date, or opens the prompt and asks for the focus", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    expect(await store.checkNow()).toEqual(ok(null));
    expect(store.open).toBe(false);
    state.check = ok(OFFER);
    expect(await store.checkNow()).toEqual(ok(OFFER));
    expect(store.open).toBe(true);
    expect(store.focusRequest).toBe(1);
  });

  it("a newer version replaces a download in progress", async () => {
    const { api, state } = fakeApi();
    const store = new UpdatesStore(api);
    store.offerUpdate(OFFER);
    const download = store.download();
    store.offerUpdate({ ...OFFER, version: "1.5.0" });
    expect(store.phase).toEqual({ state: "offered" });
    state.settleDownload(ok(null));
    await download;
    expect(store.phase, "the old download's outcome does not apply").toEqual({ state: "offered" });
  });
});
