import { describe, expect, it } from "vitest";
import { containRect, faceRect, labelBelow, largestFace, popoverAt } from "./faceGeometry";

describe("containRect", () => {
  it("letterboxes a wide photo in a tall box, and a tall photo in a wide box", () => {
    // 4000×3000 into 400×600: full width, 300 high, 150 above and below.
    expect(containRect({ left: 0, top: 0, width: 400, height: 600 }, 4000, 3000)).toEqual({
      left: 0,
      top: 150,
      width: 400,
      height: 300,
    });
    // 3000×4000 into 800×400 at (10, 20): 300 wide, centred.
    expect(containRect({ left: 10, top: 20, width: 800, height: 400 }, 3000, 4000)).toEqual({
      left: 260,
      top: 20,
      width: 300,
      height: 400,
    });
  });

  it("is the box itself when the picture fills it or has no size yet", () => {
    const box = { left: 5, top: 5, width: 640, height: 480 };
    expect(containRect(box, 1280, 960)).toEqual(box);
    expect(containRect(box, 0, 0)).toEqual(box);
  });
});

describe("faceRect", () => {
  const picture = { left: 0, top: 150, width: 400, height: 300 };

  it("scales the fractions to the drawn picture", () => {
    const rect = faceRect({ x: 0.25, y: 0.5, width: 0.1, height: 0.2 }, picture);
    expect(rect.left).toBe(100);
    expect(rect.top).toBe(300);
    expect(rect.width).toBeCloseTo(40);
    expect(rect.height).toBeCloseTo(60);
  });

  it("keeps a box that runs over the edge inside the picture", () => {
    const rect = faceRect({ x: 0.9, y: -0.1, width: 0.2, height: 0.3 }, picture);
    expect(rect.left).toBeCloseTo(360);
    expect(rect.top).toBe(150);
    expect(rect.width).toBeCloseTo(40);
    expect(rect.height).toBeCloseTo(60);
  });

  it("puts the name under the box when it fits, else above", () => {
    expect(labelBelow({ left: 0, top: 150, width: 40, height: 40 }, picture)).toBe(true);
    expect(labelBelow({ left: 0, top: 400, width: 40, height: 40 }, picture)).toBe(false);
  });
});

describe("largestFace", () => {
  it("finds the face 'This is NAME' makes the reference", () => {
    const faces = [
      { id: 1, x: 0, y: 0, width: 0.1, height: 0.1 },
      { id: 2, x: 0, y: 0, width: 0.3, height: 0.2 },
      { id: 3, x: 0, y: 0, width: 0.2, height: 0.3 },
    ];
    expect(largestFace(faces)?.id).toBe(2);
    expect(largestFace([])).toBeUndefined();
  });
});

describe("popoverAt", () => {
  const bounds = { left: 0, top: 0, width: 800, height: 600 };
  const size = { width: 240, height: 160 };

  it("opens under the box, or above it near the bottom", () => {
    expect(popoverAt({ left: 100, top: 100, width: 50, height: 50 }, size, bounds)).toEqual({ left: 100, top: 156 });
    expect(popoverAt({ left: 100, top: 500, width: 50, height: 50 }, size, bounds)).toEqual({ left: 100, top: 334 });
  });

  it("stays inside on the right", () => {
    expect(popoverAt({ left: 700, top: 100, width: 50, height: 50 }, size, bounds).left).toBe(560);
  });
});
