// The Debrid section of the settings form: text fields in the form (patterns one per
// line, extensions comma-separated, a size with a unit), DebridSettings in the core.

import type { DebridSettings, Provider } from "$lib/ipc/api";
import { inUnits, toBytes } from "./byteUnits";

export type SizeUnit = "B" | "KiB" | "MiB" | "GiB";

export const SIZE_UNITS: readonly (readonly [SizeUnit, number])[] = [
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024],
  ["B", 1],
];

export type DebridForm = {
  provider: Provider;
  alldebridUrl: string;
  realdebridUrl: string;
  torboxUrl: string;
  /** Glob patterns, one per line. */
  include: string;
  exclude: string;
  /** Empty (null) means no minimum. */
  minSizeValue: number | null;
  minSizeUnit: SizeUnit;
  /** "mkv, mp4". */
  extensions: string;
  keepSubtitles: boolean;
};

/** The non-blank lines of a textarea, trimmed. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** "mkv, .MP4  srt" → ["mkv", "MP4", "srt"]: commas or spaces between, no leading dots, no repeats. */
export function extensionList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const ext = part.replace(/^\.+/, "").trim();
    if (ext !== "") seen.add(ext);
  }
  return [...seen];
}

export function debridForm(settings: DebridSettings): DebridForm {
  const size = inUnits(settings.rules.minSize, SIZE_UNITS, "MiB");
  return {
    provider: settings.provider,
    alldebridUrl: settings.alldebridUrl,
    realdebridUrl: settings.realdebridUrl,
    torboxUrl: settings.torboxUrl,
    include: settings.rules.include.join("\n"),
    exclude: settings.rules.exclude.join("\n"),
    minSizeValue: size.value,
    minSizeUnit: size.unit,
    extensions: settings.rules.extensions.join(", "),
    keepSubtitles: settings.rules.keepSubtitles,
  };
}

/**
 * The settings the form describes, or what cannot be sent (only what the core could not
 * even read: its own checks, e.g. of the URLs, name the field in their message).
 */
export function toDebridSettings(
  form: DebridForm,
): { ok: true; value: DebridSettings } | { ok: false; message: string } {
  const unit = SIZE_UNITS.find(([name]) => name === form.minSizeUnit)?.[1] ?? 1;
  const minSize = toBytes(form.minSizeValue, unit);
  if (minSize === null) {
    return { ok: false, message: "debrid.rules.minSize must be empty (no minimum) or a positive size." };
  }
  return {
    ok: true,
    value: {
      provider: form.provider,
      alldebridUrl: form.alldebridUrl.trim(),
      realdebridUrl: form.realdebridUrl.trim(),
      torboxUrl: form.torboxUrl.trim(),
      rules: {
        include: lines(form.include),
        exclude: lines(form.exclude),
        minSize,
        extensions: extensionList(form.extensions),
        keepSubtitles: form.keepSubtitles,
      },
    },
  };
}
