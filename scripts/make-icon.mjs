// Draws images/icon.png (128×128): stacked layers under a lens. No image
// library needed: the PNG is encoded by hand with zlib.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const N = 128;
const px = Buffer.alloc(N * N * 4);
const set = (x, y, [r, g, b, a]) => {
  const i = (y * N + x) * 4;
  const t = a / 255;
  px[i] = Math.round(px[i] * (1 - t) + r * t);
  px[i + 1] = Math.round(px[i + 1] * (1 - t) + g * t);
  px[i + 2] = Math.round(px[i + 2] * (1 - t) + b * t);
  px[i + 3] = Math.max(px[i + 3], a);
};
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    const dx = Math.max(0, Math.abs(x - 63.5) - 44),
      dy = Math.max(0, Math.abs(y - 63.5) - 44);
    if (Math.hypot(dx, dy) <= 16) set(x, y, [19, 78, 140, 255]);
  }
const layers = [
  [36, [122, 197, 255, 255]],
  [56, [84, 170, 240, 255]],
  [76, [46, 140, 220, 255]],
];
for (const [top, c] of layers) for (let y = top; y < top + 14; y++) for (let x = 26; x < 82; x++) set(x, y, c);
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    const d = Math.hypot(x - 80, y - 74);
    if (d >= 20 && d <= 27) set(x, y, [255, 255, 255, 255]);
    if (d < 20) set(x, y, [255, 255, 255, 60]);
    const along = (x - 80 + (y - 74)) / Math.SQRT2,
      across = (x - 80 - (y - 74)) / Math.SQRT2;
    if (along > 27 && along < 46 && Math.abs(across) < 5) set(x, y, [255, 255, 255, 255]);
  }
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6;
mkdirSync('images', { recursive: true });
writeFileSync(
  'images/icon.png',
  Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
