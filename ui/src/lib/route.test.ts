import { describe, expect, it } from "vitest";
import { windowRoute } from "./route";

describe("windowRoute", () => {
  it("is the quick-add window for #/quick-add", () => {
    expect(windowRoute("#/quick-add")).toBe("quick-add");
    expect(windowRoute("#/quick-add?from=tray")).toBe("quick-add");
  });

  it("is the main window otherwise", () => {
    expect(windowRoute("")).toBe("main");
    expect(windowRoute("#")).toBe("main");
    expect(windowRoute("#/")).toBe("main");
    expect(windowRoute("#/settings")).toBe("main");
    expect(windowRoute("#quick-add")).toBe("main");
  });
});
