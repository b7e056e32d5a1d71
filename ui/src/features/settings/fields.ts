import type { CoreError, Settings } from "$lib/ipc/api";

/** A field of the settings form, as the core names it in a refusal. */
export type SettingsField =
  | Exclude<keyof Settings, "debrid" | "desktop" | "updates" | "library" | "faces" | "sources">
  | "debrid.provider"
  | "debrid.alldebridUrl"
  | "debrid.realdebridUrl"
  | "debrid.torboxUrl"
  | "debrid.rules.include"
  | "debrid.rules.exclude"
  | "debrid.rules.minSize"
  | "debrid.rules.extensions"
  | "debrid.rules.keepSubtitles"
  | "desktop.closeToTray"
  | "desktop.watchClipboard"
  | "desktop.startAtLogin"
  | "updates.endpoint"
  | "updates.checkOnStart"
  | "library.threads"
  | "library.binRetentionDays"
  | "faces.threads"
  | "faces.minFaces"
  | "faces.detectorSide"
  | "faces.modelsUrl";

// The more specific names first: "connectionsPerDownload" must not read as another field.
const FIELD_NAMES: ReadonlyArray<[SettingsField, RegExp]> = [
  // The models address first: its message quotes a URL, which may hold any word.
  ["faces.modelsUrl", /faces\.models[_ ]?url|models address/i],
  ["faces.threads", /faces[._ ]threads|face analysis threads/i],
  ["faces.minFaces", /min[_ ]?faces/i],
  ["faces.detectorSide", /detector[_ ]?side|detector size/i],
  ["updates.endpoint", /updates?\.endpoint|update (?:endpoint|address)/i],
  ["library.threads", /library[._ ]threads/i],
  ["library.binRetentionDays", /bin[_ ]?retention[_ ]?days/i],
  ["debrid.alldebridUrl", /alldebrid[_ ]?url/i],
  ["debrid.realdebridUrl", /realdebrid[_ ]?url/i],
  ["debrid.torboxUrl", /torbox[_ ]?url/i],
  ["debrid.rules.include", /rules\.include/i],
  ["debrid.rules.exclude", /rules\.exclude/i],
  ["debrid.rules.minSize", /min[_ ]?size/i],
  ["debrid.rules.extensions", /rules\.extensions/i],
  ["debrid.rules.keepSubtitles", /keep[_ ]?subtitles/i],
  ["debrid.provider", /debrid\.provider/i],
  ["updates.checkOnStart", /check[_ ]?on[_ ]?start/i],
  ["desktop.startAtLogin", /start[_ ]?at[_ ]?login|at login|autostart/i],
  ["desktop.closeToTray", /close[_ ]?to[_ ]?tray|\btray\b/i],
  ["desktop.watchClipboard", /watch[_ ]?clipboard|\bclipboard\b/i],
  ["connectionsPerDownload", /connections[_ ]?per[_ ]?download/i],
  ["speedLimit", /speed[_ ]?limit/i],
  ["maxActiveDownloads", /max[_ ]?active[_ ]?downloads|maximum active/i],
  ["downloadDir", /download[_ ]?dir|download folder/i],
  ["theme", /\btheme\b/i],
  ["notifications", /\bnotifications\b/i],
];

/** The field the core's message names, if any, so the form can mark it invalid. */
export function fieldNamedIn(message: string): SettingsField | null {
  for (const [field, pattern] of FIELD_NAMES) if (pattern.test(message)) return field;
  return null;
}

/**
 * The field a refused save is about: the one its message names, else, for a desktop
 * integration the system refused, start at login (the one a save turns on or off there).
 */
export function fieldOfError(error: CoreError): SettingsField | null {
  return fieldNamedIn(error.message) ?? (error.code === "SystemIntegration" ? "desktop.startAtLogin" : null);
}

export const MAX_ACTIVE_MIN = 1;
export const MAX_ACTIVE_MAX = 16;

export const CONNECTIONS_MIN = 1;
export const CONNECTIONS_MAX = 16;

/** The form control of each field, to bring it into view when the core refuses it. */
export const FIELD_INPUT_ID: Readonly<Record<SettingsField, string>> = {
  downloadDir: "settings-download-dir",
  maxActiveDownloads: "settings-max-active",
  connectionsPerDownload: "settings-connections",
  speedLimit: "settings-speed-limit",
  theme: "settings-theme",
  notifications: "settings-notifications",
  "debrid.provider": "settings-debrid-provider",
  "debrid.alldebridUrl": "settings-alldebrid-url",
  "debrid.realdebridUrl": "settings-realdebrid-url",
  "debrid.torboxUrl": "settings-torbox-url",
  "debrid.rules.include": "settings-rules-include",
  "debrid.rules.exclude": "settings-rules-exclude",
  "debrid.rules.minSize": "settings-rules-min-size",
  "debrid.rules.extensions": "settings-rules-extensions",
  "debrid.rules.keepSubtitles": "settings-rules-keep-subtitles",
  "desktop.closeToTray": "settings-close-to-tray",
  "desktop.watchClipboard": "settings-watch-clipboard",
  "desktop.startAtLogin": "settings-start-at-login",
  "updates.endpoint": "settings-update-endpoint",
  "updates.checkOnStart": "settings-check-on-start",
  "library.threads": "settings-library-threads",
  "library.binRetentionDays": "settings-bin-retention",
  "faces.threads": "settings-faces-threads",
  "faces.minFaces": "settings-faces-min-faces",
  "faces.detectorSide": "settings-faces-detector-side",
  "faces.modelsUrl": "settings-faces-models-url",
};
