// A fake Haul core that runs inside the page, installed before the app's scripts
// (Playwright `addInitScript`). It stands in for the Tauri runtime the app talks to:
//   window.__TAURI_INTERNALS__          invoke / transformCallback / unregisterCallback
//   window.__TAURI_EVENT_PLUGIN_INTERNALS__   unregisterListener
// and answers the app's commands from an in-memory list of downloads, the way the real
// core does: results are plain values, refusals reject with a CoreError object
// { code, message } (not an Error), exactly what the generated bindings expect.
// The test drives it through window.__haulFake (move states, progress, emit snapshots).
//
// Plain browser JavaScript on purpose: it is injected as-is, untouched by Vite.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function installFakeCore(options) {
  "use strict";

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const coreError = (code, message) => ({ code, message });

  const DEFAULT_SETTINGS = {
    downloadDir: "/home/user/Downloads",
    maxActiveDownloads: 3,
    connectionsPerDownload: 8,
    speedLimit: 0,
    theme: "light",
  };
  const state = {
    // Fields the test leaves out get the core's defaults, so every view has the full shape.
    downloads: clone(options.downloads || []).map((d) => ({ connections: 8, sha256: null, ...d })),
    nextId: 1,
    revision: 1,
    settings: { ...DEFAULT_SETTINGS, ...clone(options.settings || {}) },
    calls: [],
    /** per download id: live figures only a snapshot carries */
    live: new Map(),
  };
  // A long history, generated here rather than shipped through the init script.
  for (let i = 0; i < (options.generatedHistory || 0); i++) {
    state.downloads.push({
      id: 100000 + i,
      url: `https://mirror.example.com/archive/file-${i}.bin`,
      fileName: `archive-file-${String(i).padStart(6, "0")}.bin`,
      dir: state.settings.downloadDir,
      totalBytes: 1048576 * (1 + (i % 50)),
      receivedBytes: 1048576 * (1 + (i % 50)),
      state: "completed",
      error: null,
      createdAt: 1700000000000 + i,
      connections: 8,
      sha256: null,
    });
  }
  for (const d of state.downloads) state.nextId = Math.max(state.nextId, d.id + 1);

  // ---- the Tauri side: callbacks and the event plugin --------------------------------
  const callbacks = new Map();
  let nextCallbackId = 1;
  const listeners = new Map(); // event name -> [{ eventId, handlerId }]
  let nextEventId = 1;

  function transformCallback(callback, once = false) {
    const id = nextCallbackId++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      return callback && callback(data);
    });
    return id;
  }

  function unregisterCallback(id) {
    callbacks.delete(id);
  }

  function unregisterListener(event, eventId) {
    const list = listeners.get(event) || [];
    listeners.set(
      event,
      list.filter((l) => l.eventId !== eventId),
    );
  }

  function emit(event, payload) {
    for (const { eventId, handlerId } of [...(listeners.get(event) || [])]) {
      const callback = callbacks.get(handlerId);
      if (callback) callback({ event, id: eventId, payload: clone(payload) });
    }
  }

  // ---- the core ------------------------------------------------------------------------
  function find(id) {
    const download = state.downloads.find((d) => d.id === id);
    if (!download) throw coreError("NotFound", `No download with id ${id}.`);
    return download;
  }

  function bump() {
    state.revision += 1;
  }

  const FINISHED = ["completed", "failed", "cancelled"];

  function transition(id, allowed, to, verb) {
    const download = find(id);
    if (!allowed.includes(download.state)) {
      throw coreError("InvalidState", `Cannot ${verb} a download that is ${download.state}.`);
    }
    download.state = to;
    if (to !== "failed") download.error = null;
    if (to !== "active") state.live.delete(id);
    bump();
    return clone(download);
  }

  function fileNameOf(url) {
    const last = url.pathname.split("/").filter(Boolean).pop();
    return last ? decodeURIComponent(last) : url.hostname;
  }

  const commands = {
    add_download({ url, dir }) {
      let parsed = null;
      try {
        parsed = new URL(String(url).trim());
      } catch {
        parsed = null;
      }
      if (!parsed || !["http:", "https:"].includes(parsed.protocol) || !parsed.hostname) {
        throw coreError("InvalidUrl", `"${url}" is not an http or https URL.`);
      }
      const download = {
        id: state.nextId++,
        url: parsed.href,
        fileName: fileNameOf(parsed),
        dir: dir ?? state.settings.downloadDir,
        totalBytes: null,
        receivedBytes: 0,
        state: "queued",
        error: null,
        createdAt: Date.now(),
        connections: state.settings.connectionsPerDownload,
        sha256: null,
      };
      state.downloads.push(download);
      bump();
      return clone(download);
    },
    list_downloads() {
      return clone(state.downloads);
    },
    pause_download({ id }) {
      return transition(id, ["active", "queued"], "paused", "pause");
    },
    resume_download({ id }) {
      return transition(id, ["paused", "failed"], "queued", "resume");
    },
    cancel_download({ id }) {
      return transition(id, ["active", "queued", "paused"], "cancelled", "cancel");
    },
    remove_download({ id }) {
      find(id);
      state.downloads = state.downloads.filter((d) => d.id !== id);
      state.live.delete(id);
      bump();
      return null;
    },
    // The list is in queue order; a move swaps with the next unfinished download that way.
    move_download({ id, direction }) {
      const download = find(id);
      if (!["queued", "paused"].includes(download.state)) {
        throw coreError("InvalidState", `Cannot move a download that is ${download.state}.`);
      }
      if (direction !== "up" && direction !== "down") {
        throw coreError("Internal", `Unknown direction "${direction}".`);
      }
      const from = state.downloads.indexOf(download);
      const step = direction === "up" ? -1 : 1;
      let to = from + step;
      while (to >= 0 && to < state.downloads.length && FINISHED.includes(state.downloads[to].state)) to += step;
      if (to < 0 || to >= state.downloads.length) return null;
      state.downloads[from] = state.downloads[to];
      state.downloads[to] = download;
      bump();
      return null;
    },
    pause_all() {
      for (const d of state.downloads) {
        if (d.state === "active" || d.state === "queued") {
          d.state = "paused";
          state.live.delete(d.id);
        }
      }
      bump();
      return null;
    },
    resume_all() {
      for (const d of state.downloads) if (d.state === "paused") d.state = "queued";
      bump();
      return null;
    },
    get_settings() {
      return clone(state.settings);
    },
    update_settings({ settings }) {
      const { downloadDir, maxActiveDownloads, connectionsPerDownload, speedLimit, theme } = settings;
      if (typeof downloadDir !== "string" || !downloadDir.startsWith("/")) {
        throw coreError("InvalidSetting", `downloadDir must be an absolute path (got "${downloadDir}").`);
      }
      if (!Number.isInteger(maxActiveDownloads) || maxActiveDownloads < 1 || maxActiveDownloads > 16) {
        throw coreError(
          "InvalidSetting",
          `maxActiveDownloads must be between 1 and 16 (got ${maxActiveDownloads}).`,
        );
      }
      if (!Number.isInteger(connectionsPerDownload) || connectionsPerDownload < 1 || connectionsPerDownload > 16) {
        throw coreError(
          "InvalidSetting",
          `connectionsPerDownload must be between 1 and 16 (got ${connectionsPerDownload}).`,
        );
      }
      if (!Number.isInteger(speedLimit) || speedLimit < 0) {
        throw coreError("InvalidSetting", `speedLimit must be a whole number of bytes per second (got ${speedLimit}).`);
      }
      if (!["system", "light", "dark"].includes(theme)) {
        throw coreError("InvalidSetting", `theme must be system, light or dark (got "${theme}").`);
      }
      state.settings = clone(settings);
      return clone(state.settings);
    },
    "plugin:event|listen"({ event, handler }) {
      const eventId = nextEventId++;
      listeners.set(event, [...(listeners.get(event) || []), { eventId, handlerId: handler }]);
      return eventId;
    },
    "plugin:event|unlisten"({ event, eventId }) {
      unregisterListener(event, eventId);
      return null;
    },
  };

  async function invoke(cmd, args = {}) {
    state.calls.push({ cmd, args: clone(args) });
    const command = commands[cmd];
    if (!command) throw coreError("Internal", `The fake core has no command "${cmd}".`);
    await new Promise((resolve) => setTimeout(resolve, 0)); // answers are always async
    return command(args);
  }

  window.__TAURI_INTERNALS__ = {
    invoke,
    transformCallback,
    unregisterCallback,
    convertFileSrc: (path) => path,
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener };

  // ---- what the test drives ------------------------------------------------------------
  window.__haulFake = {
    /** Commands the app sent, optionally only those named `cmd`. */
    calls: (cmd) => clone(state.calls.filter((c) => !cmd || c.cmd === cmd)),
    revision: () => state.revision,
    listenerCount: (event) => (listeners.get(event) || []).length,
    /** Changes a download the way the core would; a state change bumps the revision. */
    update(id, patch) {
      const download = find(id);
      const stateChanged = patch.state !== undefined && patch.state !== download.state;
      Object.assign(download, clone(patch));
      if (download.state !== "active") state.live.delete(id);
      if (stateChanged) bump();
    },
    /**
     * Live figures of an active download (what the engine's atomics would hold). Without
     * `segments`, one range 0..total fetched by one connection; `connections` defaults
     * to the number of active segments.
     */
    progress(id, { receivedBytes, bytesPerSecond = 0, etaSeconds = null, segments, connections }) {
      const download = find(id);
      const ranges = segments
        ? clone(segments)
        : [
            {
              start: 0,
              end: download.totalBytes ?? receivedBytes,
              received: receivedBytes,
              active: true,
              bytesPerSecond,
            },
          ];
      download.receivedBytes = segments ? ranges.reduce((sum, s) => sum + s.received, 0) : receivedBytes;
      if (receivedBytes !== undefined) download.receivedBytes = receivedBytes;
      state.live.set(id, {
        bytesPerSecond,
        etaSeconds,
        segments: ranges,
        connections: connections ?? ranges.filter((s) => s.active).length,
      });
    },
    /** Emits one ProgressSnapshot of all live downloads, as the core's ticker does. */
    emitSnapshot() {
      const transfers = state.downloads
        .filter((d) => d.state === "active" || d.state === "verifying")
        .map((d) => {
          const live = state.live.get(d.id) || { bytesPerSecond: 0, etaSeconds: null, segments: [], connections: 0 };
          return {
            id: d.id,
            state: d.state,
            receivedBytes: d.receivedBytes,
            totalBytes: d.totalBytes,
            bytesPerSecond: live.bytesPerSecond,
            etaSeconds: live.etaSeconds,
            connections: live.connections,
            segments: clone(live.segments),
          };
        });
      emit("progress-snapshot-event", { revision: state.revision, transfers });
    },
  };
}
