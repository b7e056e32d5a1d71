// Sources and the history of the fake core (fake-core.js merges its commands): followed
// sources with their states and counts, previews of URLs (or the core's refusal), checks
// that turn a source to "checking" and back, and a history paged by keyset like the
// core's (newest first, `next` = the last id), emitting `sources-changed-event` and
// `history-changed-event` as the core does.
// Plain browser JavaScript, injected as-is.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function fakeSources(options, core) {
  "use strict";
  const { clone, coreError, emit } = core;
  const given = options || {};
  const NOW = Date.now();

  function describe(schedule) {
    if (schedule.kind === "cron") return `cron ${schedule.expr}`;
    if (schedule.kind === "auto") return "auto 15m–1day";
    const s = schedule.seconds;
    return s % 86400 === 0 ? `every ${s / 86400}days` : s % 3600 === 0 ? `every ${s / 3600}h` : `every ${Math.round(s / 60)}m`;
  }

  function sourceWithDefaults(source) {
    const schedule = source.schedule ?? { kind: "every", seconds: 3600 };
    return {
      url: `https://forum.example.com/threads/thread.${source.id}/`,
      name: `Thread ${source.id}`,
      platform: "xenforo",
      extractor: "xenforo",
      account: null,
      dir: "/home/user/Downloads",
      ownDir: false,
      scheduleText: describe(schedule),
      options: { template: null, stopAfterKnown: null, firstLimit: null },
      state: "active",
      errorCode: null,
      errorMessage: null,
      checks: 1,
      lastCheckAt: NOW - 5 * 60_000,
      nextCheckAt: NOW + 42 * 60_000,
      lastNew: 0,
      gap: false,
      pending: 0,
      done: 0,
      failed: 0,
      ...source,
      schedule,
    };
  }

  function entryWithDefaults(entry) {
    return {
      finishedAt: NOW - (1_000_000 - entry.id) * 1000,
      origin: "source",
      platform: "reddit",
      sourceId: 1,
      mediaId: `m${entry.id}`,
      postedAt: Math.floor(NOW / 1000) - 86_400,
      size: 1024 * 1024 + entry.id,
      kind: "image",
      blake3: null,
      url: `https://i.redd.it/${entry.id}.jpg`,
      path: `/home/user/Downloads/reddit/${entry.id}.jpg`,
      fileName: `photo-${entry.id}.jpg`,
      account: "someone",
      title: null,
      caption: `Photo number ${entry.id}`,
      ...entry,
    };
  }

  const state = {
    sources: (given.sources || []).map(sourceWithDefaults),
    nextId: 1,
    /** url → a preview, or { error: { code, message } } */
    previews: clone(given.previews || {}),
    /** Newest last (ids ascending). */
    history: [],
  };
  state.nextId = Math.max(1, ...state.sources.map((s) => s.id + 1));
  const historyCount = given.historyCount ?? 0;
  for (let id = 1; id <= historyCount; id++) state.history.push(entryWithDefaults({ id, kind: id % 7 === 0 ? "video" : "image" }));
  for (const entry of given.history || []) state.history.push(entryWithDefaults(entry));

  const changed = () => setTimeout(() => emit("sources-changed-event", null), 10);

  function find(id) {
    const source = state.sources.find((s) => s.id === id);
    if (!source) throw coreError("NotFound", `There is no source #${id}.`);
    return source;
  }

  function checkSchedule(schedule) {
    if (!schedule) return;
    if (schedule.kind === "every" && (schedule.seconds < 60 || schedule.seconds > 366 * 86400)) {
      throw coreError("InvalidInput", `A check interval must be between 1 minute and a year, not ${schedule.seconds} s.`);
    }
    if (schedule.kind === "cron" && schedule.expr.trim().split(/\s+/).length !== 5) {
      throw coreError("InvalidInput", `"${schedule.expr}" is not a 5-field cron expression (minute hour day-of-month month day-of-week).`);
    }
  }

  function preview(url) {
    const known = state.previews[url];
    if (known && known.error) throw clone(known.error);
    if (known) return clone(known);
    throw coreError("UnsupportedUrl", `No extractor handles ${url}`);
  }

  const commands = {
    sources_list: () => clone(state.sources),
    source_preview: ({ url }) => preview(url.trim()),
    source_add: ({ source }) => {
      const url = (source.url || "").trim();
      const recognised = preview(url);
      checkSchedule(source.schedule);
      const view = sourceWithDefaults({
        id: state.nextId++,
        url,
        name: source.name || recognised.suggestedName,
        platform: recognised.platform,
        extractor: source.extractor || recognised.extractor,
        account: source.account ?? null,
        dir: source.dir || "/home/user/Downloads",
        ownDir: Boolean(source.dir),
        schedule: source.schedule || { kind: "every", seconds: 3600 },
        options: { template: null, stopAfterKnown: null, firstLimit: null, ...(source.options || {}) },
        checks: 0,
        lastCheckAt: null,
        nextCheckAt: Date.now(),
      });
      state.sources.push(view);
      changed();
      return clone(view);
    },
    source_edit: ({ id, edit }) => {
      const source = find(id);
      checkSchedule(edit.schedule);
      if (!edit.name.trim()) throw coreError("InvalidInput", "A source needs a name.");
      Object.assign(source, {
        name: edit.name,
        schedule: edit.schedule,
        scheduleText: describe(edit.schedule),
        dir: edit.dir || "/home/user/Downloads",
        ownDir: Boolean(edit.dir),
        account: edit.account ?? null,
        extractor: edit.extractor,
        options: { template: null, stopAfterKnown: null, firstLimit: null, ...edit.options },
      });
      changed();
      return clone(source);
    },
    source_pause: ({ id }) => {
      const source = find(id);
      source.state = "paused";
      changed();
      return clone(source);
    },
    source_resume: ({ id }) => {
      const source = find(id);
      source.state = "active";
      source.nextCheckAt = Date.now();
      changed();
      return clone(source);
    },
    source_check: ({ id }) => {
      const source = find(id);
      source.state = "checking";
      changed();
      return clone(source);
    },
    source_fill_gap: ({ id }) => {
      const source = find(id);
      source.state = "checking";
      changed();
      return clone(source);
    },
    source_remove: ({ id, deleteFiles }) => {
      const source = find(id);
      state.sources = state.sources.filter((s) => s !== source);
      changed();
      return deleteFiles ? source.done : 0;
    },
    cookies_import: ({ account, text }) => {
      if (!/^[\w.@-]{1,64}$/.test(account)) throw coreError("InvalidInput", `"${account}" is not an account name.`);
      if (!text.includes("\t")) throw coreError("InvalidInput", "This is not a cookies.txt file.");
      return [".instagram.com"];
    },
    extractors_status: () => [],
    extractors_install: () => [],
    history_search: ({ query }) => {
      const limit = Math.min(1000, Math.max(1, query.limit ?? 100));
      const before = query.cursor == null ? Infinity : Number(query.cursor);
      const text = (query.text || "").toLowerCase();
      const matching = [];
      for (let i = state.history.length - 1; i >= 0; i--) {
        const e = state.history[i];
        if (query.kind && e.kind !== query.kind) continue;
        if (query.platform && e.platform !== query.platform) continue;
        if (query.origin && e.origin !== query.origin) continue;
        if (query.since != null && e.finishedAt < query.since) continue;
        if (text && !`${e.fileName} ${e.caption ?? ""} ${e.title ?? ""} ${e.account ?? ""}`.toLowerCase().includes(text)) continue;
        matching.push(e);
      }
      const rows = matching.filter((e) => e.id < before).slice(0, limit);
      const last = rows[rows.length - 1];
      return { entries: clone(rows), total: matching.length, next: rows.length === limit && last ? String(last.id) : null };
    },
  };

  const helpers = {
    /** Ends a running check the way the core would (back to active, with what it found). */
    finishCheck(id, patch = {}) {
      const source = find(id);
      Object.assign(source, { state: "active", lastCheckAt: Date.now(), checks: source.checks + 1 }, clone(patch));
      changed();
    },
    /** Adds `count` newer files to the history and says so. */
    addHistory(count) {
      const from = (state.history[state.history.length - 1]?.id ?? 0) + 1;
      for (let id = from; id < from + count; id++) state.history.push(entryWithDefaults({ id, finishedAt: Date.now() }));
      setTimeout(() => emit("history-changed-event", null), 10);
    },
  };

  return { commands, helpers };
}
