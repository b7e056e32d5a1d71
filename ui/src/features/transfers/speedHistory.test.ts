import { describe, expect, it } from "vitest";
import { HISTORY_CAPACITY, SpeedHistory } from "./speedHistory";

describe("SpeedHistory", () => {
  it("keeps samples oldest first", () => {
    const h = new SpeedHistory(4);
    h.push(0, 10);
    h.push(250, 20);
    expect(h.size).toBe(2);
    expect(h.samples()).toEqual([
      { t: 0, v: 10 },
      { t: 250, v: 20 },
    ]);
    expect(h.last()).toEqual({ t: 250, v: 20 });
  });

  it("drops the oldest sample once full", () => {
    const h = new SpeedHistory(3);
    for (let i = 0; i < 7; i++) h.push(i * 100, i);
    expect(h.size).toBe(3);
    expect(h.samples().map((s) => s.v)).toEqual([4, 5, 6]);
    expect(h.last()).toEqual({ t: 600, v: 6 });
  });

  it("holds five minutes of snapshots by default", () => {
    const h = new SpeedHistory();
    expect(h.capacity).toBe(HISTORY_CAPACITY);
    for (let i = 0; i < HISTORY_CAPACITY + 50; i++) h.push(i * 250, i);
    expect(h.size).toBe(1200);
    expect(h.samples()[0]).toEqual({ t: 50 * 250, v: 50 });
  });

  it("never lets time run backwards and stores nonsense speeds as 0", () => {
    const h = new SpeedHistory(4);
    h.push(1000, 5);
    h.push(900, Number.NaN);
    h.push(1100, -3);
    expect(h.samples()).toEqual([
      { t: 1000, v: 5 },
      { t: 1000, v: 0 },
      { t: 1100, v: 0 },
    ]);
  });

  it("empties on clear and refuses a zero capacity", () => {
    const h = new SpeedHistory(2);
    h.push(1, 1);
    h.clear();
    expect(h.size).toBe(0);
    expect(h.last()).toBeUndefined();
    expect(h.samples()).toEqual([]);
    expect(() => new SpeedHistory(0)).toThrow(RangeError);
  });
});
