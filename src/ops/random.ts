// The random stream behind randn/rand/uniform_/normal_/Dropout: xoshiro128** seeded through
// splitmix32, so manualSeed(s) reproduces every draw (the sequence is not PyTorch's).
import { describeValue } from '../options.js';
let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
let spare: number | null = null;

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seeds the generator behind randn, rand, randint, uniform_, normal_ and dropout (its own sequence, not PyTorch's). PyTorch: `torch.manual_seed`. */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number') throw new TypeError(`manualSeed: expected a number, got ${describeValue(seed)}`);
  if (!Number.isFinite(seed)) throw new RangeError(`manualSeed: expected a finite number, got ${seed}`);
  const sm = splitmix32(Math.floor(seed) | 0);
  s0 = sm(); s1 = sm(); s2 = sm(); s3 = sm();
  spare = null;
}
manualSeed(Date.now() ^ (Math.random() * 0x7fffffff));

function nextU32(): number {
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return r;
}
function rotl(x: number, k: number): number { return (x << k) | (x >>> (32 - k)); }

/** Uniform in [0, 1) with 24 random bits (exact in float32). */
export function nextUniform(): number { return (nextU32() >>> 8) / 16777216; }

/** Standard normal by the Box–Muller transform, two values per pair of draws. */
export function nextNormal(): number {
  if (spare !== null) { const s = spare; spare = null; return s; }
  let u = 0;
  while (u === 0) u = nextUniform();
  const v = nextUniform();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/** An integer in [low, high). */
export function nextInt(low: number, high: number): number { return low + Math.floor(nextUniform() * (high - low)); }
