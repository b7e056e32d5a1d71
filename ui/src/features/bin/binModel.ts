// The recycle bin's figures: how long an entry has left before it is purged.

const DAY = 86_400_000;

/** Whole days until `purgeAt` (rounded up: 1.2 days left is "2 days"); 0 once it is due. */
export function daysLeft(purgeAt: number, now: number): number {
  if (!Number.isFinite(purgeAt) || !Number.isFinite(now)) return 0;
  return Math.max(0, Math.ceil((purgeAt - now) / DAY));
}

/** "12 days", or "today" when it is purged within a day (or is already due). */
export function daysLeftLabel(purgeAt: number, now: number): string {
  if (!(purgeAt - now > DAY)) return "today";
  return `${daysLeft(purgeAt, now)} days`;
}

/** Nearly due entries are pointed out (the row's figure turns to the warning colour). */
export function isNearlyDue(purgeAt: number, now: number): boolean {
  return purgeAt - now <= 3 * DAY;
}
