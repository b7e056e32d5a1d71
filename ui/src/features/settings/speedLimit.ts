// The speed limit field: a number and a unit in the form, bytes per second in the core.

export type SpeedUnit = "KiB" | "MiB";

export const SPEED_UNITS: Readonly<Record<SpeedUnit, number>> = { KiB: 1024, MiB: 1024 * 1024 };

/** What the form shows for a limit: `null` (an empty field) means unlimited. */
export type SpeedLimitInput = { value: number | null; unit: SpeedUnit };

/**
 * The form's figure in bytes per second: empty or 0 → 0 (unlimited), 2 MiB/s → 2097152.
 * Returns null for what is not a limit (negative, not a number).
 */
export function toBytesPerSecond(value: unknown, unit: SpeedUnit): number | null {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return 0;
  }
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.round(n * SPEED_UNITS[unit]);
}

/**
 * How the form shows a limit from the core: MiB/s when it is a whole tenth of a MiB,
 * else KiB/s (to a tenth); 0 shows as an empty field (unlimited).
 */
export function fromBytesPerSecond(bytesPerSecond: number): SpeedLimitInput {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return { value: null, unit: "MiB" };
  const mib = bytesPerSecond / SPEED_UNITS.MiB;
  if (mib >= 1 && Math.abs(mib * 10 - Math.round(mib * 10)) < 1e-9) {
    return { value: Math.round(mib * 10) / 10, unit: "MiB" };
  }
  return { value: Math.round((bytesPerSecond / SPEED_UNITS.KiB) * 10) / 10, unit: "KiB" };
}
