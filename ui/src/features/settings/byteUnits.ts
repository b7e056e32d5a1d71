// A byte figure edited as a number and a unit (a speed limit, a minimum size): the form
// shows the largest unit that keeps it to one decimal, the core takes plain bytes.

/**
 * The form's figure in bytes: empty → 0, 1.5 × 1024 → 1536 (rounded to a whole byte).
 * Null for what is not a figure (negative, not a number).
 */
export function toBytes(value: unknown, unitSize: number): number | null {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return 0;
  }
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.round(n * unitSize);
}

/**
 * How the form shows bytes: in the first of `units` (largest first) where it is at least 1
 * and a whole tenth, else in the last one to a tenth. 0 shows as an empty field in `empty`.
 */
export function inUnits<U extends string>(
  bytes: number,
  units: readonly (readonly [U, number])[],
  empty: U,
): { value: number | null; unit: U } {
  const smallest = units[units.length - 1];
  if (!Number.isFinite(bytes) || bytes <= 0 || smallest === undefined) return { value: null, unit: empty };
  for (const [unit, size] of units.slice(0, -1)) {
    const value = bytes / size;
    if (value >= 1 && Math.abs(value * 10 - Math.round(value * 10)) < 1e-9) {
      return { value: Math.round(value * 10) / 10, unit };
    }
  }
  const [unit, size] = smallest;
  return { value: Math.round((bytes / size) * 10) / 10, unit };
}
