// Library media for the end-to-end tests: small generated PNG "photos" (a sky, a sun and
// hills, in a colour that depends on the item id) served for
// http://haul-media.localhost/{thumb,file}/<id>, and face crops (a drawn face, 160×160)
// for …/face/<face id>: the addresses the app uses under a Windows user agent. Nothing is
// read from disk or the network.

import { deflateSync } from "node:zlib";

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of `width` × `height` whose pixel (x, y) is `pixel(x, y)` → [r, g, b]. */
export function png(width, height, pixel) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function hsl(h, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** A little landscape: sky fading down, a sun, two rolling hills; the hue follows `seed`. */
function landscape(width, height, seed) {
  const hue = (seed * 47) % 360;
  const sunX = width * (0.25 + ((seed * 13) % 50) / 100);
  const sunY = height * 0.32;
  const sunR = height * 0.11;
  return png(width, height, (x, y) => {
    const fy = y / height;
    const hill1 = height * (0.62 + 0.08 * Math.sin((x / width) * Math.PI * 2 + seed));
    const hill2 = height * (0.75 + 0.06 * Math.sin((x / width) * Math.PI * 3 + seed * 2));
    if (y > hill2) return hsl((hue + 140) % 360, 0.35, 0.28 + 0.05 * (1 - fy));
    if (y > hill1) return hsl((hue + 120) % 360, 0.3, 0.42);
    if ((x - sunX) ** 2 + (y - sunY) ** 2 < sunR ** 2) return hsl((hue + 40) % 360, 0.9, 0.82);
    return hsl(hue, 0.55, 0.55 + 0.3 * fy);
  });
}

/** A face crop as the core makes them (160×160): a face on a background whose hue follows `seed`. */
function faceCrop(seed) {
  const hue = (seed * 67) % 360;
  const skin = hsl(25 + (seed % 4) * 5, 0.45, 0.55 + (seed % 3) * 0.08);
  const hair = hsl((seed * 31) % 40, 0.35, 0.12 + (seed % 5) * 0.06);
  return png(160, 160, (x, y) => {
    const dx = (x - 80) / 46;
    const dy = (y - 86) / 58;
    const inHead = dx * dx + dy * dy < 1;
    if (inHead && y < 52 + Math.abs(x - 80) * 0.25) return hair;
    if (((x - 62) ** 2 + (y - 78) ** 2 < 30) || ((x - 98) ** 2 + (y - 78) ** 2 < 30)) return [40, 30, 30];
    if (Math.abs(y - 112 - ((x - 80) / 20) ** 2) < 2 && Math.abs(x - 80) < 16) return [150, 60, 60];
    if (inHead) return skin;
    if (y > 140 && Math.abs(x - 80) < 60) return hsl((hue + 180) % 360, 0.4, 0.4);
    return hsl(hue, 0.3, 0.78);
  });
}

const cache = new Map();

/** The image for an item: thumbnails small, "originals" larger. */
export function mediaImage(kind, id) {
  const key = `${kind}:${id % 24}`;
  let body = cache.get(key);
  if (!body && kind === "face") {
    body = faceCrop(id % 24);
    cache.set(key, body);
  } else if (!body) {
    // Thumbnails as the core makes them (longer side 360 px); "originals" a little larger.
    body = kind === "thumb" ? landscape(360, 270, id % 24) : landscape(960, 720, id % 24);
    cache.set(key, body);
  }
  return body;
}

/**
 * Answers http://haul-media.localhost/… in a browser context. `failThumbs`: item ids
 * whose thumbnail is refused with 415, as the core does for what it cannot preview.
 */
export async function routeMedia(context, { failThumbs = [] } = {}) {
  const failing = new Set(failThumbs);
  await context.route("http://haul-media.localhost/**", (route) => {
    const [, kind, id] = new URL(route.request().url()).pathname.split("/");
    const number = Number(id);
    if ((kind !== "thumb" && kind !== "file" && kind !== "face") || !Number.isSafeInteger(number)) {
      return route.fulfill({ status: 404, contentType: "text/plain", body: "no such media" });
    }
    if (kind === "thumb" && failing.has(number)) {
      return route.fulfill({ status: 415, contentType: "text/plain", body: "not an image" });
    }
    return route.fulfill({
      status: 200,
      contentType: "image/png",
      headers: { "Cache-Control": "private, max-age=600" },
      body: mediaImage(kind, number),
    });
  });
}
