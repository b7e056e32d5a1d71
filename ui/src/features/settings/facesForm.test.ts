import { describe, expect, it } from "vitest";
import { fieldNamedIn } from "./fields";
import { detectorSides, facesForm, toFacesSettings } from "./facesForm";

describe("facesForm", () => {
  it("edits the address as text and fills what older settings lack", () => {
    expect(facesForm({ threads: 2, minFaces: 3, detectorSide: 480, modelsUrl: null })).toEqual({
      threads: 2,
      minFaces: 3,
      detectorSide: 480,
      modelsUrl: "",
    });
    expect(facesForm(undefined)).toEqual({ threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: "" });
  });

  it("lists the offered detector sizes, plus one set elsewhere", () => {
    expect(detectorSides(640)).toEqual([320, 480, 640, 800, 960]);
    expect(detectorSides(1920)).toEqual([320, 480, 640, 800, 960, 1920]);
    expect(detectorSides(416)).toEqual([320, 416, 480, 640, 800, 960]);
  });
});

describe("toFacesSettings", () => {
  it("passes whole numbers on and an empty address as none", () => {
    expect(toFacesSettings({ threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: "  " })).toEqual({
      ok: true,
      value: { threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: null },
    });
    expect(
      toFacesSettings({ threads: 4, minFaces: 60, detectorSide: 960, modelsUrl: " https://mirror.example/models/ " }),
    ).toEqual({
      ok: true,
      value: { threads: 4, minFaces: 60, detectorSide: 960, modelsUrl: "https://mirror.example/models/" },
    });
  });

  it("refuses an empty or fractional figure with a message naming its field", () => {
    const threads = toFacesSettings({ threads: null as unknown as number, minFaces: 2, detectorSide: 640, modelsUrl: "" });
    const minFaces = toFacesSettings({ threads: 0, minFaces: 1.5, detectorSide: 640, modelsUrl: "" });
    if (threads.ok || minFaces.ok) throw new Error("refused");
    expect(fieldNamedIn(threads.message)).toBe("faces.threads");
    expect(fieldNamedIn(minFaces.message)).toBe("faces.minFaces");
  });
});
