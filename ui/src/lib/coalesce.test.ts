import { describe, expect, it } from "vitest";
import { coalesced } from "./coalesce";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("coalesced", () => {
  it("runs once more after a run, however many calls came meanwhile", async () => {
    const gates = [deferred(), deferred(), deferred()];
    let runs = 0;
    const refresh = coalesced(async () => {
      const gate = gates[runs++];
      await gate?.promise;
    });
    const first = refresh();
    const second = refresh();
    const third = refresh();
    expect(runs).toBe(1);
    gates[0]?.resolve();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    gates[1]?.resolve();
    await Promise.all([first, second, third]);
    expect(runs).toBe(2);
  });

  it("runs again for a call after the last run ended", async () => {
    let runs = 0;
    const refresh = coalesced(async () => {
      runs++;
    });
    await refresh();
    await refresh();
    expect(runs).toBe(2);
  });

  it("recovers after a failing run", async () => {
    let runs = 0;
    const refresh = coalesced(async () => {
      runs++;
      if (runs === 1) throw new Error("boom");
    });
    await expect(refresh()).rejects.toThrow("boom");
    await refresh();
    expect(runs).toBe(2);
  });
});
