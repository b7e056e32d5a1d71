// Where the viewer draws a face's box. The core gives boxes as fractions (0–1) of the
// photo as displayed; the picture is drawn `object-fit: contain` inside its element, so
// a letterboxed picture's bars are left out before the fractions are scaled.

export type Rect = { left: number; top: number; width: number; height: number };

type Box = { x: number; y: number; width: number; height: number };

/** Where a picture of natural size w × h is drawn inside `box` with object-fit: contain (centred). */
export function containRect(box: Rect, naturalWidth: number, naturalHeight: number): Rect {
  if (!(naturalWidth > 0 && naturalHeight > 0 && box.width > 0 && box.height > 0)) return box;
  const scale = Math.min(box.width / naturalWidth, box.height / naturalHeight);
  const width = naturalWidth * scale;
  const height = naturalHeight * scale;
  return {
    left: box.left + (box.width - width) / 2,
    top: box.top + (box.height - height) / 2,
    width,
    height,
  };
}

const unit = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** A face's box in the same coordinates as the drawn `picture`, kept inside it. */
export function faceRect(face: Box, picture: Rect): Rect {
  const x0 = unit(face.x);
  const y0 = unit(face.y);
  const x1 = unit(face.x + face.width);
  const y1 = unit(face.y + face.height);
  return {
    left: picture.left + x0 * picture.width,
    top: picture.top + y0 * picture.height,
    width: Math.max(0, x1 - x0) * picture.width,
    height: Math.max(0, y1 - y0) * picture.height,
  };
}

/** Room a name needs under its box; without it the name goes above. */
export const LABEL_HEIGHT = 22;

/** Whether a box's name fits under it inside the picture (else it goes above). */
export function labelBelow(box: Rect, picture: Rect): boolean {
  return box.top + box.height + LABEL_HEIGHT <= picture.top + picture.height;
}

/** The photo's largest face (the one "This is NAME" makes the reference); the first on ties. */
export function largestFace<T extends Box>(faces: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const face of faces) if (best === undefined || face.width * face.height > best.width * best.height) best = face;
  return best;
}

/**
 * Where a popover of `size` opens for a box: under it (above when there is no room),
 * left-aligned with it, kept inside `bounds`.
 */
export function popoverAt(box: Rect, size: { width: number; height: number }, bounds: Rect, gap = 6): { left: number; top: number } {
  const below = box.top + box.height + gap;
  const above = box.top - gap - size.height;
  const top = below + size.height <= bounds.top + bounds.height || above < bounds.top ? below : above;
  const left = Math.min(Math.max(bounds.left, box.left), bounds.left + bounds.width - size.width);
  return { left: Math.max(bounds.left, left), top: Math.max(bounds.top, top) };
}
