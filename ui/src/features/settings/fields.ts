import type { Settings } from "$lib/ipc/api";

export type SettingsField = keyof Settings;

// The more specific names first: "connectionsPerDownload" must not read as another field.
const FIELD_NAMES: ReadonlyArray<[SettingsField, RegExp]> = [
  ["connectionsPerDownload", /connections[_ ]?per[_ ]?download/i],
  ["speedLimit", /speed[_ ]?limit/i],
  ["maxActiveDownloads", /max[_ ]?active[_ ]?downloads|maximum active/i],
  ["downloadDir", /download[_ ]?dir|download folder/i],
  ["theme", /\btheme\b/i],
];

/** The field the core's message names, if any, so the form can mark it invalid. */
export function fieldNamedIn(message: string): SettingsField | null {
  for (const [field, pattern] of FIELD_NAMES) if (pattern.test(message)) return field;
  return null;
}

export const MAX_ACTIVE_MIN = 1;
export const MAX_ACTIVE_MAX = 16;

export const CONNECTIONS_MIN = 1;
export const CONNECTIONS_MAX = 16;
