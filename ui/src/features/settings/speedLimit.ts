// The speed limit field: a number and a unit in the form, bytes per second in the core.

import { inUnits, toBytes } from "./byteUnits";

export type SpeedUnit = "KiB" | "MiB";

export const SPEED_UNITS: Readonly<Record<SpeedUnit, number>> = { KiB: 1024, MiB: 1024 * 1024 };

/** What the form shows for a limit: `null` (an empty field) means unlimited. */
export type SpeedLimitInput = { value: number | null; unit: SpeedUnit };

/**
 * The form's figure in bytes per second: empty or 0 → 0 (unlimited), 2 MiB/s → 2097152.
 * Returns null for what is not a limit (negative, not a number).
 */
export function toBytesPerSecond(value: unknown, unit: SpeedUnit): number | null {
  return toBytes(value, SPEED_UNITS[unit]);
}

/**
 * How the form shows a limit from the core: MiB/s when it is a whole tenth of a MiB,
 * else KiB/s (to a tenth); 0 shows as an empty field (unlimited).
 */
export function fromBytesPerSecond(bytesPerSecond: number): SpeedLimitInput {
  return inUnits(
    bytesPerSecond,
    [
      ["MiB", SPEED_UNITS.MiB],
      ["KiB", SPEED_UNITS.KiB],
    ],
    "MiB",
  );
}
