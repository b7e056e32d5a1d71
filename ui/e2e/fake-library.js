// The library and recycle bin of the fake core (fake-core.js merges its commands):
// keyset-paged lists with the core's filters and sorts, counts and months, duplicates
// and similar groups, the bin with restore and purge, folder scans with progress events.
// The people filter asks `core.peopleOf(itemId)` (fake-faces.js) who is in a photo.
// A long library (e.g. 150 000 items) is generated here rather than shipped through the
// init script. Plain browser JavaScript, injected as-is.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function fakeLibrary(options, core) {
  "use strict";
  const { clone, coreError, emit, retentionDays } = core;
  const peopleOf = core.peopleOf || (() => []);

  const DAY = 86_400_000;
  /** Newest generated item; the rest go back 10 minutes each (150k items: ~34 months). */
  const GENERATED_NEWEST = Date.UTC(2025, 4, 20, 18, 0);
  const SHAPES = [
    [4000, 3000],
    [3000, 4000],
    [1920, 1080],
    [1080, 1350],
    [2048, 2048],
    [3840, 1600],
    [null, null],
  ];

  function itemWithDefaults(item) {
    const addedAt = item.addedAt ?? item.sortAt ?? Date.now();
    const name = item.name ?? (item.path ? item.path.split("/").pop() : `item-${item.id}.jpg`);
    return {
      path: `/home/user/Pictures/${name}`,
      name,
      size: 2_400_000,
      kind: "image",
      mime: "image/jpeg",
      width: 4000,
      height: 3000,
      blake3: item.id.toString(16).padStart(64, "0"),
      postedAt: null,
      addedAt,
      sortAt: item.postedAt ?? addedAt,
      origin: "download",
      downloadId: null,
      taskId: null,
      url: null,
      platform: null,
      source: null,
      description: null,
      tags: [],
      mediaError: null,
      state: "present",
      ...item,
    };
  }

  const given = options || {};
  const lib = {
    /** Every item the library knows, present or binned, by id. */
    items: new Map(),
    /** id → key of its "similar images" group (fake perceptual hashes). */
    similar: new Map(),
    bin: [],
    nextItemId: 1,
    /** Bumped by every change: the sorted lists below are cached per version. */
    version: 0,
    sorted: new Map(),
    scan: clone(given.scan ?? null),
    calls: [],
    /** The user paused the library's work: a scan holds. */
    paused: false,
  };

  function addItem(raw) {
    const { similar, ...fields } = raw;
    const item = itemWithDefaults(fields);
    lib.items.set(item.id, item);
    if (similar !== undefined) lib.similar.set(item.id, similar);
    lib.nextItemId = Math.max(lib.nextItemId, item.id + 1);
  }

  for (const item of clone(given.items || [])) addItem(item);
  for (let i = 0; i < (given.generated || 0); i++) {
    const id = 1_000_000 + i;
    const [width, height] = SHAPES[i % SHAPES.length];
    const sortAt = GENERATED_NEWEST - i * 600_000;
    const video = i % 23 === 5;
    lib.items.set(
      id,
      itemWithDefaults({
        id,
        name: video ? `VID_${String(i).padStart(6, "0")}.mp4` : `IMG_${String(i).padStart(6, "0")}.jpg`,
        kind: video ? "video" : "image",
        mime: video ? "video/mp4" : "image/jpeg",
        width,
        height,
        size: 800_000 + ((i * 7919) % 9_000_000),
        addedAt: sortAt,
        sortAt,
        origin: i % 5 === 0 ? "folder" : "download",
      }),
    );
  }
  lib.nextItemId = Math.max(lib.nextItemId, 1_000_000 + (given.generated || 0));
  // A bin entry is named by its item's id, as in the core.
  for (const entry of clone(given.bin || [])) {
    const item = itemWithDefaults({ ...entry.item, state: "binned" });
    lib.items.set(item.id, item);
    lib.bin.push({
      id: item.id,
      originalPath: entry.originalPath ?? item.path,
      binPath: `/home/user/.local/share/haul/bin/${item.id}`,
      deletedAt: entry.deletedAt ?? Date.now() - DAY,
      purgeAt: entry.purgeAt ?? Date.now() + (retentionDays() - 1) * DAY,
      item,
    });
    lib.nextItemId = Math.max(lib.nextItemId, item.id + 1);
  }

  function changed() {
    lib.version += 1;
    lib.sorted.clear();
    // The core batches changes and tells the window a moment later.
    setTimeout(() => emit("library-changed-event", null), 30);
  }

  // ---- sorting and filtering, as the core's SQL does ----------------------------------
  const KEY = {
    newest: (i) => i.sortAt,
    oldest: (i) => i.sortAt,
    largest: (i) => i.size,
    smallest: (i) => i.size,
    name: (i) => i.name,
  };
  const DESCENDING = { newest: true, largest: true };

  function compareKeys(sort, ka, ida, kb, idb) {
    const order = ka < kb ? -1 : ka > kb ? 1 : ida - idb;
    return DESCENDING[sort] ? -order : order;
  }

  function sortedPresent(sort) {
    if (!KEY[sort]) throw coreError("InvalidInput", `Unknown sort "${sort}".`);
    let list = lib.sorted.get(sort);
    if (!list) {
      const key = KEY[sort];
      list = [...lib.items.values()].filter((i) => i.state === "present");
      list.sort((a, b) => compareKeys(sort, key(a), a.id, key(b), b.id));
      lib.sorted.set(sort, list);
    }
    return list;
  }

  function matcher(filter = {}) {
    const f = filter || {};
    const kinds = f.kinds && f.kinds.length ? new Set(f.kinds) : null;
    const origins = f.origins && f.origins.length ? new Set(f.origins) : null;
    const name = f.name ? String(f.name).toLowerCase() : null;
    const people = f.people && f.people.length ? f.people : null;
    const withPeople = (i) => {
      if (!people) return true;
      const inPhoto = peopleOf(i.id);
      return f.allPeople ? people.every((p) => inPhoto.includes(p)) : people.some((p) => inPhoto.includes(p));
    };
    return (i) =>
      (!kinds || kinds.has(i.kind)) &&
      (!origins || origins.has(i.origin)) &&
      (f.platform == null || i.platform === f.platform) &&
      (f.source == null || i.source === f.source) &&
      (f.from == null || i.sortAt >= f.from) &&
      (f.to == null || i.sortAt < f.to) &&
      (f.minSize == null || i.size >= f.minSize) &&
      (f.maxSize == null || i.size <= f.maxSize) &&
      (!name || i.name.toLowerCase().includes(name)) &&
      withPeople(i);
  }

  function present(filter) {
    const match = matcher(filter);
    let n = 0;
    for (const item of lib.items.values()) if (item.state === "present" && match(item)) n++;
    return n;
  }

  function monthOf(ms) {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  }

  function findPresent(id) {
    const item = lib.items.get(id);
    if (!item || item.state !== "present") throw coreError("NotFound", `No library item with id ${id}.`);
    return item;
  }

  function groupsBy(keyOf) {
    const groups = new Map();
    for (const item of lib.items.values()) {
      if (item.state !== "present") continue;
      const key = keyOf(item);
      if (key === undefined) continue;
      groups.set(key, [...(groups.get(key) || []), item]);
    }
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort((a, b) => a.id - b.id))
      .sort((a, b) => b[0].size - a[0].size || a[0].id - b[0].id)
      .map(clone);
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  const commands = {
    library_list({ query }) {
      const sort = query.sort ?? "newest";
      const limit = query.limit ?? 200;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw coreError("InvalidInput", `The page size must be between 1 and 1000, not ${limit}.`);
      }
      const match = matcher(query.filter);
      const list = sortedPresent(sort);
      let start = 0;
      if (query.cursor) {
        let after;
        try {
          after = JSON.parse(decodeURIComponent(query.cursor));
        } catch {
          throw coreError("InvalidInput", "This page cursor is not valid.");
        }
        // Keyset: the first item after (key, id) in this order.
        const key = KEY[sort];
        let low = 0;
        let high = list.length;
        while (low < high) {
          const mid = (low + high) >> 1;
          if (compareKeys(sort, key(list[mid]), list[mid].id, after[0], after[1]) <= 0) low = mid + 1;
          else high = mid;
        }
        start = low;
      }
      const items = [];
      for (let i = start; i < list.length && items.length < limit; i++) if (match(list[i])) items.push(list[i]);
      const last = items[items.length - 1];
      const nextCursor =
        items.length === limit && last ? encodeURIComponent(JSON.stringify([KEY[sort](last), last.id])) : null;
      lib.calls.push({ cmd: "library_list", filter: clone(query.filter), cursor: query.cursor ?? null, count: items.length });
      return { items: clone(items), nextCursor };
    },
    library_count({ filter }) {
      return present(filter);
    },
    library_months({ filter }) {
      const match = matcher(filter);
      const counts = new Map();
      for (const item of lib.items.values()) {
        if (item.state !== "present" || !match(item)) continue;
        const month = monthOf(item.sortAt);
        counts.set(month, (counts.get(month) || 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map(([month, count]) => ({ month, count }));
    },
    library_update_details({ id, details }) {
      const item = findPresent(id);
      const tags = (details.tags || []).map((t) => String(t).trim()).filter(Boolean);
      if (tags.length > 100 || tags.some((t) => t.length > 100)) {
        throw coreError("InvalidInput", "Tags are at most 100, of at most 100 characters each.");
      }
      item.postedAt = details.postedAt ?? null;
      item.sortAt = item.postedAt ?? item.addedAt;
      item.tags = tags;
      item.description = details.description ?? null;
      changed();
      return clone(item);
    },
    library_duplicates() {
      return groupsBy((item) => item.blake3);
    },
    library_similar({ distance }) {
      const d = distance ?? 8;
      if (!Number.isInteger(d) || d < 0 || d > 15) {
        throw coreError("InvalidInput", `The distance must be between 0 and 15 bits, not ${d}.`);
      }
      lib.calls.push({ cmd: "library_similar", distance: d });
      return groupsBy((item) => (item.kind === "image" ? lib.similar.get(item.id) : undefined));
    },
    library_remove({ ids }) {
      const items = ids.map(findPresent);
      const now = Date.now();
      const binIds = items.map((item) => {
        item.state = "binned";
        const entry = {
          id: item.id,
          originalPath: item.path,
          binPath: `/home/user/.local/share/haul/bin/${item.id}`,
          deletedAt: now,
          purgeAt: now + retentionDays() * DAY,
          item,
        };
        lib.bin.unshift(entry);
        return entry.id;
      });
      changed();
      return binIds;
    },
    async library_add_folder({ path }) {
      const folder = String(path);
      if (!/^(\/|[a-zA-Z]:[\\/])/.test(folder)) {
        throw coreError("InvalidInput", `The folder must be an absolute path (got "${folder}").`);
      }
      if (/missing/.test(folder)) throw coreError("NotFound", `There is no folder at ${folder}.`);
      const scan = lib.scan || {};
      const found = clone(scan.items || []);
      const failed = clone(scan.failed || []);
      const total = found.length + failed.length;
      for (let done = 0; done <= total; done++) {
        emit("library-progress-event", { job: "scan", done, total, running: true, paused: lib.paused });
        await sleep(scan.stepMs ?? 40);
        while (lib.paused) await sleep(20);
      }
      for (const item of found) addItem({ origin: "folder", ...item, path: `${folder}/${item.name}` });
      emit("library-progress-event", { job: "scan", done: total, total, running: false, paused: lib.paused });
      if (found.length > 0) changed();
      return { folderId: 1, added: found.length, updated: 0, unchanged: scan.unchanged ?? 0, removed: 0, failed };
    },
    library_set_paused({ paused }) {
      lib.paused = Boolean(paused);
      lib.calls.push({ cmd: "library_set_paused", paused: lib.paused });
      return null;
    },
    bin_list() {
      return clone(lib.bin);
    },
    bin_restore({ ids }) {
      const entries = ids.map((id) => {
        const entry = lib.bin.find((e) => e.id === id);
        if (!entry) throw coreError("NotFound", `No bin entry with id ${id}.`);
        return entry;
      });
      for (const entry of entries) entry.item.state = "present";
      lib.bin = lib.bin.filter((e) => !entries.includes(e));
      changed();
      return entries.map((e) => e.originalPath);
    },
    bin_purge({ ids }) {
      const gone = lib.bin.filter((e) => ids.includes(e.id));
      for (const entry of gone) lib.items.delete(entry.item.id);
      lib.bin = lib.bin.filter((e) => !ids.includes(e.id));
      changed();
      return gone.length;
    },
    bin_empty() {
      const n = lib.bin.length;
      for (const entry of lib.bin) lib.items.delete(entry.item.id);
      lib.bin = [];
      changed();
      return n;
    },
  };

  const helpers = {
    /** A library item as the core holds it (present or binned). */
    libraryItem: (id) => clone(lib.items.get(id) ?? null),
    binEntries: () => clone(lib.bin),
    /** The list requests the gallery made: { filter, cursor, count }. */
    libraryCalls: () => clone(lib.calls),
    /** The user paused the library's background work (scans and face analysis hold). */
    libraryPaused: () => lib.paused,
    /** Adds items (as a download finishing would) and tells the window. */
    addLibraryItems(items) {
      for (const item of clone(items)) addItem(item);
      changed();
    },
  };

  return { commands, helpers };
}
