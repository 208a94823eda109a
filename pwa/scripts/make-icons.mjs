// Draws the app icons as PNGs with node built-ins only (no image library): a white chat bubble on the
// brand green. `maskable` keeps the bubble inside the 80% safe zone Android crops to.
// Run: node pwa/scripts/make-icons.mjs (outputs are committed under pwa/public/icons/).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const GREEN = [11, 122, 95];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Unit coordinates (0..1): is (u, v) inside the bubble (an ellipse with a tail at the bottom left)? */
function inBubble(u, v, scale) {
  const cx = 0.5;
  const cy = 0.47;
  const rx = 0.3 * scale;
  const ry = 0.24 * scale;
  const e = ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1;
  // Tail: a triangle under the left of the ellipse.
  const tx = cx - 0.18 * scale;
  const ty = cy + 0.16 * scale;
  const t =
    v >= ty &&
    v <= ty + 0.14 * scale &&
    u >= tx - 0.08 * scale + (v - ty) * 0.2 &&
    u <= tx + 0.1 * scale - (v - ty) * 0.9;
  return e || t;
}

function icon(size, { maskable }) {
  const radius = maskable ? 0 : size * 0.22;
  const scale = maskable ? 0.8 : 1;
  return png(size, (x, y) => {
    // Rounded square background (full bleed for maskable: the platform applies its own mask).
    const dx = Math.max(radius - x, x - (size - radius), 0);
    const dy = Math.max(radius - y, y - (size - radius), 0);
    if (radius > 0 && dx * dx + dy * dy > radius * radius) return [0, 0, 0, 0];
    const fg = inBubble(x / size, y / size, scale);
    return [...(fg ? WHITE : GREEN), 255];
  });
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), icon(192, { maskable: false }));
writeFileSync(new URL('icon-512.png', out), icon(512, { maskable: false }));
writeFileSync(new URL('maskable-512.png', out), icon(512, { maskable: true }));
console.log('icons written to pwa/public/icons/');
