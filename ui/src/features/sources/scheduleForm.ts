// A source's schedule as the dialog edits it (Every N minutes/hours/days, a cron
// expression, or Auto with optional bounds) and back, with the checks the core makes
// told before it is asked: an interval of 1 minute to 366 days, a cron expression of
// five fields.

import type { Schedule, ScheduleInput } from "$lib/ipc/api";

export type ScheduleMode = "every" | "cron" | "auto";
export type EveryUnit = "minutes" | "hours" | "days";

export type ScheduleForm = {
  mode: ScheduleMode;
  /** A whole number of `unit`s. */
  every: string;
  unit: EveryUnit;
  cron: string;
  /** Auto's bounds in minutes; empty: the settings' bounds. */
  autoMin: string;
  autoMax: string;
};

export type ScheduleField = "every" | "cron" | "autoMin" | "autoMax";
export type ScheduleProblem = { field: ScheduleField; message: string };

export const UNIT_SECONDS: Record<EveryUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };
export const UNITS: readonly { value: EveryUnit; label: string }[] = [
  { value: "minutes", label: "minutes" },
  { value: "hours", label: "hours" },
  { value: "days", label: "days" },
];

/** The core's bounds for `every` (schedule.rs). */
export const MIN_INTERVAL_SECONDS = 60;
export const MAX_INTERVAL_SECONDS = 366 * 86_400;

export const CRON_HINT = "min hour day month weekday, local time";
export const CRON_PLACEHOLDER = "0 */6 * * *";

/** What a new source starts with: every hour (the core's default). */
export function defaultScheduleForm(): ScheduleForm {
  return { mode: "every", every: "1", unit: "hours", cron: "", autoMin: "", autoMax: "" };
}

/** The form for a schedule; an interval in the largest unit that divides it exactly. */
export function scheduleToForm(schedule: Schedule | ScheduleInput): ScheduleForm {
  const form = defaultScheduleForm();
  switch (schedule.kind) {
    case "every": {
      const seconds = schedule.seconds;
      const unit: EveryUnit =
        seconds % UNIT_SECONDS.days === 0 ? "days" : seconds % UNIT_SECONDS.hours === 0 ? "hours" : "minutes";
      // A stored interval that is not whole minutes shows rounded; it is saved as shown.
      const count = unit === "minutes" ? Math.max(1, Math.round(seconds / 60)) : seconds / UNIT_SECONDS[unit];
      return { ...form, mode: "every", every: String(count), unit };
    }
    case "cron":
      return { ...form, mode: "cron", cron: schedule.expr };
    case "auto":
      return {
        ...form,
        mode: "auto",
        autoMin: schedule.minMinutes == null ? "" : String(schedule.minMinutes),
        autoMax: schedule.maxMinutes == null ? "" : String(schedule.maxMinutes),
      };
  }
}

/** A whole number ≥ 1 from a field, or null when it is not one. */
export function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= 1 ? value : null;
}

export function cronFields(expr: string): string[] {
  return expr.trim().split(/\s+/).filter((field) => field !== "");
}

const CRON_NAMES: readonly { name: string; min: number; max: number }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "weekday", min: 0, max: 7 },
];

/** Why a cron expression will be refused, or null (the core checks it fully). */
export function cronProblem(expr: string): string | null {
  const fields = cronFields(expr);
  if (fields.length === 0) return `Type a cron expression (${CRON_HINT}), e.g. ${CRON_PLACEHOLDER}.`;
  if (fields.length !== 5) {
    return `A cron expression has 5 fields (${CRON_HINT}), not ${fields.length}.`;
  }
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? "";
    const spec = CRON_NAMES[i];
    if (spec === undefined) continue;
    if (!/^[0-9A-Za-z*,\-/?#LW]+$/.test(field)) return `The ${spec.name} field “${field}” has characters cron does not use.`;
    // Plain numbers (not a step after "/") must be in the field's range.
    for (const part of field.split(",")) {
      const [range] = part.split("/");
      for (const bound of (range ?? "").split("-")) {
        if (!/^\d+$/.test(bound)) continue;
        const value = Number(bound);
        if (value < spec.min || value > spec.max) {
          return `The ${spec.name} field must be ${spec.min}–${spec.max}, not ${value}.`;
        }
      }
    }
  }
  return null;
}

/** The schedule the form describes, or the first problem with it. */
export function formToSchedule(
  form: ScheduleForm,
): { ok: true; schedule: ScheduleInput } | { ok: false; problem: ScheduleProblem } {
  switch (form.mode) {
    case "every": {
      const count = wholeNumber(form.every);
      if (count === null) {
        return { ok: false, problem: { field: "every", message: `Type a whole number of ${form.unit}, e.g. 30.` } };
      }
      const seconds = count * UNIT_SECONDS[form.unit];
      if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
        return { ok: false, problem: { field: "every", message: "Check between every minute and once a year (366 days)." } };
      }
      return { ok: true, schedule: { kind: "every", seconds } };
    }
    case "cron": {
      const problem = cronProblem(form.cron);
      if (problem !== null) return { ok: false, problem: { field: "cron", message: problem } };
      return { ok: true, schedule: { kind: "cron", expr: cronFields(form.cron).join(" ") } };
    }
    case "auto": {
      const bound = (field: "autoMin" | "autoMax"): number | null | "bad" =>
        form[field].trim() === "" ? null : (wholeNumber(form[field]) ?? "bad");
      const min = bound("autoMin");
      const max = bound("autoMax");
      if (min === "bad") return { ok: false, problem: { field: "autoMin", message: "The minimum is a whole number of minutes (at least 1)." } };
      if (max === "bad") return { ok: false, problem: { field: "autoMax", message: "The maximum is a whole number of minutes (at least 1)." } };
      if (min !== null && max !== null && min > max) {
        return { ok: false, problem: { field: "autoMax", message: "The maximum must not be below the minimum." } };
      }
      return { ok: true, schedule: { kind: "auto", minMinutes: min, maxMinutes: max } };
    }
  }
}
