import { describe, expect, it } from "vitest";
import { source } from "./fixtures";
import {
  checkAllTargets,
  inlineError,
  lastCheckText,
  moveSelection,
  nextCheckText,
  pauseAction,
  platformChoices,
  platformLabel,
  removeQuestion,
} from "./sourcesModel";

const NOW = 1_800_000_000_000;

describe("sources model", () => {
  it("says when the last and next checks are", () => {
    expect(lastCheckText(source(1, { lastCheckAt: NOW - 5 * 60_000 }), NOW)).toBe("5 min ago");
    expect(lastCheckText(source(1, { lastCheckAt: null }), NOW)).toBe("never");
    expect(nextCheckText(source(1, { nextCheckAt: NOW + 42 * 60_000 }), NOW)).toBe("in 42 min");
    expect(nextCheckText(source(1, { state: "checking" }), NOW)).toBe("now");
    expect(nextCheckText(source(1, { state: "paused" }), NOW)).toBe("—");
    expect(nextCheckText(source(1, { nextCheckAt: NOW - 1000 }), NOW)).toBe("due now");
  });

  it("shows why a failing or gone source stopped, only for those", () => {
    expect(inlineError(source(1, { state: "failing", errorMessage: "Blocked: 403" }))).toBe("Blocked: 403");
    expect(inlineError(source(1, { state: "gone", errorMessage: null }))).toMatch(/gone/);
    expect(inlineError(source(1, { state: "active", errorMessage: "Rate limited" }))).toBeNull();
  });

  it("pauses running sources and resumes paused ones", () => {
    expect(pauseAction("active")).toBe("pause");
    expect(pauseAction("failing")).toBe("pause");
    expect(pauseAction("paused")).toBe("resume");
  });

  it("checks all but paused and checking sources", () => {
    const list = [source(1), source(2, { state: "paused" }), source(3, { state: "checking" }), source(4, { state: "gone" })];
    expect(checkAllTargets(list)).toEqual([1, 4]);
  });

  it("labels platforms and offers the known ones first", () => {
    expect(platformLabel("youtube")).toBe("YouTube");
    expect(platformLabel("bluesky")).toBe("Bluesky");
    expect(platformChoices([source(1, { platform: "vimeo" }), source(2, { platform: "reddit" }), source(3, { platform: "vimeo" })])).toEqual([
      "reddit",
      "xenforo",
      "web",
      "direct",
      "instagram",
      "tiktok",
      "x",
      "youtube",
      "vimeo",
    ]);
  });

  it("moves the selection within the list", () => {
    expect(moveSelection([4, 7, 9], null, 1)).toBe(4);
    expect(moveSelection([4, 7, 9], null, -1)).toBe(9);
    expect(moveSelection([4, 7, 9], 7, 1)).toBe(9);
    expect(moveSelection([4, 7, 9], 9, 1)).toBe(9);
    expect(moveSelection([4, 7, 9], 4, -1)).toBe(4);
    expect(moveSelection([], 4, 1)).toBeNull();
  });

  it("asks about the files when removing", () => {
    expect(removeQuestion(source(1, { done: 3 })).message).toMatch(/3 fetched files stay/);
    expect(removeQuestion(source(1, { done: 0 })).message).toMatch(/Nothing was fetched/);
  });
});
