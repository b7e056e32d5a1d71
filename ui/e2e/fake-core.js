// A fake Haul core that runs inside the page, installed before the app's scripts
// (Playwright `addInitScript`). It stands in for the Tauri runtime the app talks to:
//   window.__TAURI_INTERNALS__          invoke / transformCallback / unregisterCallback
//   window.__TAURI_EVENT_PLUGIN_INTERNALS__   unregisterListener
// and answers the app's commands from an in-memory list of downloads, debrid tasks and
// accounts, the way the real core does: results are plain values, refusals reject with a
// CoreError object { code, message } (not an Error), exactly what the generated bindings
// expect. The test drives it through window.__haulFake (move states, progress, emit
// snapshots, script logins and failures). The library and recycle bin live in
// fake-library.js, faces and people in fake-faces.js, sources and the history in
// fake-sources.js, diagnostics and statistics in fake-stats.js, all injected before this file.
//
// Plain browser JavaScript on purpose: it is injected as-is, untouched by Vite.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function installFakeCore(options) {
  "use strict";

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const coreError = (code, message) => ({ code, message });

  const DEFAULT_DEBRID = {
    provider: "alldebrid",
    alldebridUrl: "https://api.alldebrid.com",
    realdebridUrl: "https://api.real-debrid.com/rest",
    torboxUrl: "https://api.torbox.app",
    rules: { include: [], exclude: ["*sample*"], minSize: 0, extensions: [], keepSubtitles: true },
  };
  const DEFAULT_DESKTOP = { closeToTray: false, watchClipboard: false, startAtLogin: false };
  const DEFAULT_UPDATES = { endpoint: "https://updates.haul.example/latest.json", checkOnStart: true };
  const DEFAULT_LIBRARY = { threads: 0, binRetentionDays: 30 };
  const DEFAULT_FACES = { threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: null };
  const DEFAULT_SETTINGS = {
    downloadDir: "/home/user/Downloads",
    maxActiveDownloads: 3,
    connectionsPerDownload: 8,
    speedLimit: 0,
    theme: "light",
    notifications: true,
    debrid: DEFAULT_DEBRID,
    desktop: DEFAULT_DESKTOP,
    updates: DEFAULT_UPDATES,
    library: DEFAULT_LIBRARY,
    faces: DEFAULT_FACES,
  };
  const PROVIDERS = {
    alldebrid: { label: "AllDebrid", loginMethod: "pin", url: "https://alldebrid.com/pin/" },
    realdebrid: { label: "Real-Debrid", loginMethod: "oauthDevice", url: "https://real-debrid.com/device" },
    torbox: { label: "TorBox", loginMethod: "apiKey", url: null },
  };
  const withDownloadDefaults = (d) => ({ connections: 8, sha256: null, error: null, ...d });
  const given = clone(options.settings || {});
  const settings = {
    ...DEFAULT_SETTINGS,
    ...given,
    debrid: { ...DEFAULT_DEBRID, ...(given.debrid || {}) },
    desktop: { ...DEFAULT_DESKTOP, ...(given.desktop || {}) },
    updates: { ...DEFAULT_UPDATES, ...(given.updates || {}) },
    library: { ...DEFAULT_LIBRARY, ...(given.library || {}) },
    faces: { ...DEFAULT_FACES, ...(given.faces || {}) },
  };
  const state = {
    // Fields the test leaves out get the core's defaults, so every view has the full shape.
    downloads: clone(options.downloads || []).map(withDownloadDefaults),
    tasks: [],
    nextId: 1,
    nextTaskId: 1,
    revision: 1,
    settings,
    calls: [],
    /** per download id: live figures only a snapshot carries */
    live: new Map(),
    /** per provider: the stored credential and what the provider says about it */
    accounts: {},
    logins: new Map(),
    nextLoginId: 1,
    /** per command: an error its next call rejects with */
    failures: new Map(),
    /** what clipboard_suggestion answers (a ClipboardOffer or null) */
    clipboard: clone(options.clipboard ?? null),
    /** what check_for_update answers (an UpdateOffer or null), and pending_update at start */
    update: clone(options.update ?? null),
    pendingUpdate: clone(options.pendingUpdate ?? null),
    /** the download_update call in flight: the test settles it */
    updateDownload: null,
  };

  /** A task with every field, its files and their downloads too. */
  function taskWithDefaults(task) {
    return {
      infoHash: "0123456789abcdef0123456789abcdef01234567",
      provider: state.settings.debrid.provider,
      state: "queued",
      label: null,
      dir: state.settings.downloadDir,
      providerStatus: null,
      providerProgress: null,
      providerSpeed: 0,
      seeders: null,
      totalBytes: null,
      receivedBytes: 0,
      error: null,
      createdAt: Date.now(),
      ...task,
      files: (task.files || []).map((f, i) => ({
        index: i,
        selected: true,
        download: null,
        ...f,
        download: f.download ? withDownloadDefaults(f.download) : null,
      })),
    };
  }
  state.tasks = clone(options.tasks || []).map(taskWithDefaults);
  for (const t of state.tasks) {
    state.nextTaskId = Math.max(state.nextTaskId, t.id + 1);
    for (const f of t.files) if (f.download) state.nextId = Math.max(state.nextId, f.download.id + 1);
  }

  for (const [provider, { label, loginMethod }] of Object.entries(PROVIDERS)) {
    state.accounts[provider] = {
      provider,
      label,
      loginMethod,
      configured: false,
      fromEnvironment: false,
      username: null,
      premium: null,
      premiumUntil: null,
      error: null,
      ...clone((options.accounts || {})[provider] || {}),
    };
  }
  const LOGIN = { polls: 2, interval: 1, expires: 600, ...clone(options.login || {}) };
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

  /** Every download, plain ones and those of tasks' files (the snapshot carries both). */
  function allDownloads() {
    const files = state.tasks.flatMap((t) => t.files.map((f) => f.download).filter(Boolean));
    return [...state.downloads, ...files];
  }

  function findAny(id) {
    const download = allDownloads().find((d) => d.id === id);
    if (!download) throw coreError("NotFound", `No download with id ${id}.`);
    return download;
  }

  function findTask(id) {
    const task = state.tasks.find((t) => t.id === id);
    if (!task) throw coreError("NotFound", `No task with id ${id}.`);
    return task;
  }

  function taskTransition(id, allowed, to, verb) {
    const task = findTask(id);
    if (!allowed.includes(task.state)) {
      throw coreError("InvalidState", `Cannot ${verb} a task that is ${task.state}.`);
    }
    task.state = to;
    if (to !== "failed") task.error = null;
    bump();
    return clone(task);
  }

  function accountView(provider) {
    const account = state.accounts[provider];
    if (!account) throw coreError("InvalidInput", `Unknown provider "${provider}".`);
    return account;
  }

  /** The torrent's name from its bencoded info dictionary ("4:name<length>:<name>"). */
  function torrentName(bytes) {
    const text = String.fromCharCode(...bytes.slice(0, 4096));
    const match = /4:name(\d+):/.exec(text);
    return match ? text.substr(match.index + match[0].length, Number(match[1])) : "Dropped torrent";
  }

  function newTask(name, infoHash, options) {
    const provider = options.provider ?? state.settings.debrid.provider;
    accountView(provider);
    const task = taskWithDefaults({
      id: state.nextTaskId++,
      name,
      infoHash,
      provider,
      dir: options.dir ?? state.settings.downloadDir,
      label: options.label ?? null,
      createdAt: Date.now(),
    });
    state.tasks.push(task);
    bump();
    return clone(task);
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
      const { downloadDir, maxActiveDownloads, connectionsPerDownload, speedLimit, theme, debrid } = settings;
      if (!debrid || !Object.keys(PROVIDERS).includes(debrid.provider)) {
        throw coreError("InvalidSetting", `debrid.provider must be alldebrid, realdebrid or torbox.`);
      }
      for (const key of ["alldebridUrl", "realdebridUrl", "torboxUrl"]) {
        if (!/^https?:\/\/[^\s/]+/.test(debrid[key] ?? "")) {
          throw coreError("InvalidSetting", `debrid.${key} must be an http or https URL (got "${debrid[key]}").`);
        }
      }
      if (!Number.isInteger(debrid.rules?.minSize) || debrid.rules.minSize < 0) {
        throw coreError("InvalidSetting", `debrid.rules.minSize must be a whole number of bytes.`);
      }
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
      const { desktop, updates } = settings;
      if (!desktop || !updates) throw coreError("InvalidSetting", "desktop and updates are required.");
      if (!/^https:\/\/[^\s/]+/.test(updates.endpoint ?? "")) {
        throw coreError("InvalidSetting", `updates.endpoint must be an https URL (got "${updates.endpoint}").`);
      }
      const library = settings.library ?? state.settings.library;
      if (!Number.isInteger(library.threads) || library.threads < 0 || library.threads > 64) {
        throw coreError(
          "InvalidSetting",
          `Library threads (library.threads) must be between 0 (half the cores) and 64, not ${library.threads}.`,
        );
      }
      if (!Number.isInteger(library.binRetentionDays) || library.binRetentionDays < 1 || library.binRetentionDays > 3650) {
        throw coreError(
          "InvalidSetting",
          `Days in the recycle bin (library.binRetentionDays) must be between 1 and 3650, not ${library.binRetentionDays}.`,
        );
      }
      const faces = settings.faces ?? state.settings.faces;
      if (!Number.isInteger(faces.minFaces) || faces.minFaces < 1 || faces.minFaces > 50) {
        throw coreError(
          "InvalidSetting",
          `Faces to form a person (faces.minFaces) must be between 1 and 50, not ${faces.minFaces}.`,
        );
      }
      if (faces.modelsUrl !== null && !/^https?:\/\/[^\s/]+/.test(faces.modelsUrl)) {
        throw coreError(
          "InvalidSetting",
          `The models address (faces.modelsUrl) must be an http(s) URL, not ${JSON.stringify(faces.modelsUrl)}.`,
        );
      }
      state.settings = clone({ ...settings, library, faces });
      return clone(state.settings);
    },
    // ---- debrid tasks ----
    list_tasks() {
      return clone(state.tasks);
    },
    add_task({ source, options }) {
      const text = String(source).trim();
      if (/^magnet:\?/i.test(text)) {
        const hash = /xt=urn:btih:([a-z0-9]{32,40})/i.exec(text);
        if (!hash) throw coreError("InvalidMagnet", "The magnet link has no btih info hash.");
        const name = new URLSearchParams(text.slice(8)).get("dn") || `Magnet ${hash[1].slice(0, 8)}`;
        return newTask(name, hash[1].toLowerCase(), options);
      }
      if (/\.torrent$/i.test(text)) {
        const name = text.split(/[\\/]/).pop().replace(/\.torrent$/i, "");
        return newTask(name, "f".repeat(40), options);
      }
      throw coreError("InvalidInput", `"${text}" is neither a magnet link nor a .torrent file.`);
    },
    add_torrent({ bytes, options }) {
      if (!Array.isArray(bytes) || bytes[0] !== 100 /* "d" */) {
        throw coreError("InvalidTorrent", "This is not a .torrent file.");
      }
      return newTask(torrentName(bytes), "e".repeat(40), options);
    },
    select_task_files({ id, indexes }) {
      const task = findTask(id);
      if (task.state !== "selecting") {
        throw coreError("InvalidState", `Cannot choose the files of a task that is ${task.state}.`);
      }
      if (!Array.isArray(indexes) || indexes.length === 0) {
        throw coreError("InvalidInput", "Choose at least one file.");
      }
      for (const index of indexes) {
        if (!task.files.some((f) => f.index === index)) throw coreError("InvalidInput", `No file ${index} in this task.`);
      }
      for (const file of task.files) {
        file.selected = indexes.includes(file.index);
        file.download = file.selected
          ? withDownloadDefaults({
              id: state.nextId++,
              url: `https://cdn.example.com/${task.infoHash}/${file.index}`,
              fileName: file.path.split("/").pop(),
              dir: task.dir,
              totalBytes: file.size,
              receivedBytes: 0,
              state: "queued",
              createdAt: Date.now(),
            })
          : null;
      }
      task.totalBytes = task.files.filter((f) => f.selected).reduce((sum, f) => sum + f.size, 0);
      task.state = "downloading";
      bump();
      return clone(task);
    },
    pause_task({ id }) {
      return taskTransition(id, ["queued", "resolving", "downloading"], "paused", "pause");
    },
    resume_task({ id }) {
      return taskTransition(id, ["paused"], "queued", "resume");
    },
    retry_task({ id }) {
      return taskTransition(id, ["failed"], "queued", "retry");
    },
    cancel_task({ id }) {
      return taskTransition(id, ["queued", "resolving", "selecting", "downloading", "paused"], "cancelled", "cancel");
    },
    remove_task({ id }) {
      findTask(id);
      state.tasks = state.tasks.filter((t) => t.id !== id);
      bump();
      return null;
    },

    // ---- accounts ----
    list_accounts() {
      // No network: whether a credential is there, not whose it is.
      return Object.keys(PROVIDERS).map((p) => ({
        ...clone(accountView(p)),
        username: null,
        premium: null,
        premiumUntil: null,
        error: null,
      }));
    },
    check_account({ provider }) {
      return clone(accountView(provider));
    },
    start_login({ provider }) {
      const account = accountView(provider);
      if (account.loginMethod === "apiKey") {
        throw coreError("InvalidInput", `${account.label} logs in with an API key.`);
      }
      const loginId = state.nextLoginId++;
      state.logins.set(loginId, { provider, polls: 0 });
      return {
        loginId,
        provider,
        userCode: "K7QF-2XD9",
        verificationUrl: PROVIDERS[provider].url,
        expiresInSeconds: LOGIN.expires,
        pollIntervalSeconds: LOGIN.interval,
      };
    },
    poll_login({ loginId }) {
      const login = state.logins.get(loginId);
      if (!login) throw coreError("NotFound", `No login with id ${loginId}.`);
      login.polls += 1;
      if (login.polls < LOGIN.polls) return { status: "pending" };
      state.logins.delete(loginId);
      Object.assign(state.accounts[login.provider], {
        configured: true,
        username: "alice",
        premium: true,
        premiumUntil: 1_772_323_200,
        error: null,
      });
      return { status: "done", account: clone(state.accounts[login.provider]) };
    },
    set_api_key({ provider, key }) {
      const account = accountView(provider);
      if (String(key).trim() === "") throw coreError("InvalidInput", "The API key is empty.");
      if (String(key).startsWith("bad")) throw coreError("AuthRequired", `${account.label} refused the API key.`);
      Object.assign(account, { configured: true, username: "tb-user", premium: true, premiumUntil: 1_780_000_000, error: null });
      return clone(account);
    },
    logout({ provider }) {
      const account = accountView(provider);
      Object.assign(account, { configured: false, username: null, premium: null, premiumUntil: null, error: null });
      return clone(account);
    },

    // ---- desktop: clipboard and the quick-add window ----
    clipboard_suggestion() {
      return clone(state.clipboard);
    },
    open_quick_add() {
      return null;
    },
    close_quick_add() {
      return null;
    },

    // ---- updates ----
    check_for_update() {
      return clone(state.update);
    },
    pending_update() {
      return clone(state.pendingUpdate);
    },
    download_update() {
      if (!state.update && !state.pendingUpdate) {
        throw coreError("UpdateUnavailable", "No update is on offer.");
      }
      // Resolves when the test says the signature was verified (or rejects as it says).
      return new Promise((resolve, reject) => {
        state.updateDownload = { resolve, reject };
      });
    },
    install_update() {
      return null;
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

  // The library and its recycle bin (fake-library.js), faces and people (fake-faces.js).
  let faces = null;
  const library = fakeLibrary(options.library, {
    clone,
    coreError,
    emit,
    retentionDays: () => state.settings.library.binRetentionDays,
    peopleOf: (itemId) => (faces ? faces.helpers.peopleOf(itemId) : []),
  });
  faces = fakeFaces(options.faces, {
    clone,
    coreError,
    emit,
    paused: () => library.helpers.libraryPaused(),
    progress: (progress) => emit("library-progress-event", { ...progress, paused: library.helpers.libraryPaused() }),
  });
  const sources = fakeSources(options.sources, { clone, coreError, emit });
  const stats = fakeStats(options.stats, { clone, coreError });
  Object.assign(commands, library.commands, faces.commands, sources.commands, stats.commands);

  async function invoke(cmd, args = {}) {
    state.calls.push({ cmd, args: clone(args) });
    const command = commands[cmd];
    if (!command) throw coreError("Internal", `The fake core has no command "${cmd}".`);
    await new Promise((resolve) => setTimeout(resolve, 0)); // answers are always async
    const failure = state.failures.get(cmd);
    if (failure) {
      state.failures.delete(cmd);
      throw clone(failure);
    }
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
    ...library.helpers,
    ...faces.helpers,
    ...sources.helpers,
    ...stats.helpers,
    /** Commands the app sent, optionally only those named `cmd`. */
    calls: (cmd) => clone(state.calls.filter((c) => !cmd || c.cmd === cmd)),
    revision: () => state.revision,
    listenerCount: (event) => (listeners.get(event) || []).length,
    /** Changes a download (also a task file's) the way the core would; a state change bumps the revision. */
    update(id, patch) {
      const download = findAny(id);
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
      const download = findAny(id);
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
      const transfers = allDownloads()
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
    /**
     * Changes a task the way the core would (state, provider figures, files as
     * { path, size, selected, download }); like the core, any change bumps the revision,
     * since provider progress reaches the UI only through listTasks.
     */
    updateTask(id, patch) {
      const task = findTask(id);
      const next = taskWithDefaults({ ...task, ...clone(patch) });
      Object.assign(task, next);
      for (const f of task.files) if (f.download) state.nextId = Math.max(state.nextId, f.download.id + 1);
      bump();
    },
    task: (id) => clone(findTask(id)),
    account: (provider) => clone(accountView(provider)),
    /** Sets what the provider says about an account (configured, username, error …). */
    setAccount(provider, patch) {
      Object.assign(accountView(provider), clone(patch));
    },
    /** The next call of `cmd` rejects with `error` ({ code, message }). */
    failNext(cmd, error) {
      state.failures.set(cmd, clone(error));
    },
    /** Emits any core event (e.g. "clipboard-offer-event", "update-available-event"). */
    emit(event, payload) {
      emit(event, payload);
    },
    /** What the clipboard holds for clipboard_suggestion (a ClipboardOffer or null). */
    setClipboard(offer) {
      state.clipboard = clone(offer);
    },
    /** What check_for_update finds (an UpdateOffer or null). */
    setUpdate(offer) {
      state.update = clone(offer);
    },
    /**
     * Settles the download_update call in flight: verified, or refused with `error`. Waits
     * (up to 2 s) for the call to arrive, since every answer of the fake is asynchronous.
     */
    async finishUpdateDownload(error) {
      for (let waited = 0; !state.updateDownload && waited < 2000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const download = state.updateDownload;
      if (!download) throw new Error("download_update was not called");
      state.updateDownload = null;
      if (error) download.reject(clone(error));
      else download.resolve(null);
    },
  };
}
