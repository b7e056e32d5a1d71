import type { Settings } from "$lib/ipc/api";

export type SettingsField = keyof Settings;

const FIELD_NAMES: ReadonlyArray<[SettingsField, RegExp]> = [
  ["downloadDir", /download[_ ]?dir|download folder/i],
  ["maxActiveDownloads", /max[_ ]?active[_ ]?downloads|maximum active/i],
  ["theme", /\btheme\b/i],
];

/** The field the core's message names, if any, so the form can mark it invalid. */
export function fieldNamedIn(message: string): SettingsField | null {
  for (const [field, pattern] of FIELD_NAMES) if (pattern.test(message)) return field;
  return null;
}

export const MAX_ACTIVE_MIN = 1;
export const MAX_ACTIVE_MAX = 16;
