// The Library section of the settings form: two whole numbers (threads, days in the bin).

import type { LibrarySettings } from "$lib/ipc/api";

/** 0 means half the processor's cores. */
export const LIBRARY_THREADS_MIN = 0;
export const LIBRARY_THREADS_MAX = 64;

export const BIN_RETENTION_MIN = 1;
export const BIN_RETENTION_MAX = 3650;

/** The largest figure the core reads into these fields (an unsigned 32-bit number). */
const U32_MAX = 0xffff_ffff;

/**
 * A number input's value as a whole number the core can read, or null: empty, a fraction,
 * negative or too large for it. (An empty field is not 0: for threads 0 is a choice.)
 */
export function wholeNumber(value: unknown): number | null {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return null;
  }
  const n = typeof value === "number" ? value : Number(value);
  return Number.isInteger(n) && n >= 0 && n <= U32_MAX ? n : null;
}

/**
 * The settings the section describes, or what cannot be sent. Like the other numeric
 * fields, only what the core could not read is refused here: its range checks name the
 * field in their message ("(library.threads)").
 */
export function toLibrarySettings(
  form: LibrarySettings,
): { ok: true; value: LibrarySettings } | { ok: false; message: string } {
  const threads = wholeNumber(form.threads);
  if (threads === null) {
    return {
      ok: false,
      message: `library.threads must be a whole number from ${LIBRARY_THREADS_MIN} to ${LIBRARY_THREADS_MAX}.`,
    };
  }
  const binRetentionDays = wholeNumber(form.binRetentionDays);
  if (binRetentionDays === null) {
    return {
      ok: false,
      message: `library.binRetentionDays must be a whole number from ${BIN_RETENTION_MIN} to ${BIN_RETENTION_MAX}.`,
    };
  }
  return { ok: true, value: { threads, binRetentionDays } };
}
