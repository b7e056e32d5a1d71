// Diagnostics and statistics of the fake core (fake-core.js merges its commands):
// `diagnostics` answers a Readiness (the test may change it with `setReadiness`), and
// `history_stats` answers the figures of the last N days from a history generated here —
// deterministic, so screenshots compare — or nothing at all with `{ empty: true }`.
// Plain browser JavaScript, injected as-is.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function fakeStats(options, core) {
  "use strict";
  const { clone } = core;
  const given = options || {};
  const MiB = 1024 * 1024;

  const READY = {
    ready: true,
    checks: [
      { name: "database", ok: true, required: true, detail: "answers (schema 6, 1.4 MiB, WAL)" },
      { name: "disk space", ok: true, required: true, detail: "182.4 GiB free in /home/user/Downloads" },
      { name: "provider AllDebrid", ok: true, required: true, detail: "alice, premium until 1 Mar 2026" },
      { name: "yt-dlp", ok: true, required: false, detail: "2026.10.26 at /home/user/.local/share/haul/tools/yt-dlp" },
      { name: "gallery-dl", ok: false, required: false, detail: "not found: install it with `haul extractors install`" },
      { name: "ffmpeg", ok: true, required: false, detail: "6.1.1 at /usr/bin/ffmpeg" },
      { name: "face models", ok: true, required: false, detail: "YuNet 2023mar and dlib ResNet v1 installed" },
    ],
  };

  const state = {
    readiness: clone(given.readiness ?? READY),
    calls: [],
  };

  /** A number from 0 to 1 that only depends on its seeds. */
  function noise(...seeds) {
    let h = 2166136261;
    for (const s of seeds) {
      h ^= s + 0x9e3779b9 + (h << 6) + (h >>> 2);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return (h % 10_000) / 10_000;
  }

  const pad = (n) => String(n).padStart(2, "0");
  const dayKey = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

  const PLATFORMS = [
    ["source", "reddit", 3],
    ["source", "xenforo", 2],
    ["source", "instagram", 1],
    ["download", null, 2],
    ["task", null, 1],
  ];
  const SOURCES = [
    [1, "r/EarthPorn", "reddit", 1.0],
    [2, "Landscape photography thread", "xenforo", 0.72],
    [3, "@natgeo", "instagram", 0.55],
    [4, "r/CityPorn", "reddit", 0.41],
    [5, "Old cameras and lenses", "xenforo", 0.3],
    [6, "r/MostBeautiful", "reddit", 0.22],
    [7, "@nasa", "instagram", 0.13],
  ];

  /** The figures of the last `days` local days up to now, as the core computes them. */
  function historyStats(days) {
    const now = new Date();
    const result = { days: [], speed: [], topSources: [] };
    if (given.empty) return result;
    for (let back = days - 1; back >= 0; back--) {
      const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
      const seed = Math.floor(date.getTime() / 86_400_000);
      // Quiet days now and then, busy weekends.
      if (noise(seed, 1) < 0.12) continue;
      const weekend = date.getDay() === 0 || date.getDay() === 6 ? 1.8 : 1;
      for (const [origin, platform, weight] of PLATFORMS) {
        const r = noise(seed, weight, origin.length, platform ? platform.length : 0);
        if (r < 0.25) continue;
        const files = Math.max(1, Math.round(r * 40 * weight * weight));
        const each = origin === "task" ? 700 * MiB : origin === "download" ? 90 * MiB : 4 * MiB;
        result.days.push({ day: dayKey(date), origin, platform, files, bytes: Math.round(files * each * weekend * (0.5 + r)) });
      }
      // A few busy hours in the evening, fewer in the morning.
      for (let hour = 0; hour < 24; hour++) {
        const at = new Date(date.getFullYear(), date.getMonth(), date.getDate(), hour).getTime();
        if (at > now.getTime()) break;
        const busy = noise(seed, hour, 7);
        const evening = hour >= 18 && hour <= 23 ? 0.35 : hour >= 8 && hour <= 10 ? 0.6 : 0.9;
        if (busy < evening) continue;
        result.speed.push({ at, bytesPerSecond: Math.round((2 + 46 * noise(seed, hour, 11)) * MiB * weekend) });
      }
    }
    const scale = days / 90;
    result.topSources = SOURCES.map(([sourceId, name, platform, share]) => ({
      sourceId,
      name,
      platform,
      files: Math.max(1, Math.round(1800 * share * scale)),
      bytes: Math.round(9.5 * 1024 * MiB * share * scale),
    }));
    result.speed.sort((a, b) => a.at - b.at);
    return result;
  }

  const commands = {
    diagnostics() {
      return clone(state.readiness);
    },
    history_stats({ days }) {
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        throw core.coreError("InvalidInput", `days must be between 1 and 366, not ${days}.`);
      }
      state.calls.push(days);
      return historyStats(days);
    },
  };

  const helpers = {
    /** What `diagnostics` answers from now on. */
    setReadiness(readiness) {
      state.readiness = clone(readiness);
    },
    /** The `days` of every `history_stats` call. */
    statsCalls: () => clone(state.calls),
  };

  return { commands, helpers };
}
