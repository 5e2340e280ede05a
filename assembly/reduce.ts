// Reductions over the middle axis of a contiguous [outer, n, inner] block: any dim of any
// tensor maps to this. inner == 1 reduces along rows with four v128 accumulators; inner > 1
// sums whole rows of `inner` elements into the output, v128 across inner.

export const R_SUM: i32 = 0;
export const R_MAX: i32 = 1;
export const R_MIN: i32 = 2;
export const R_ARGMAX: i32 = 3; // writes i32 indices
export const R_ARGMIN: i32 = 4;

@inline function sumRow(x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) a0 = f32x4.add(a0, v128.load(x + (<usize>i << 2)));
  const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) r += load<f32>(x + (<usize>i << 2));
  return r;
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (op == R_SUM) {
      if (inner == 1) { store<f32>(ob, sumRow(base, n)); continue; }
      memory.copy(ob, base, <usize>inner << 2);
      for (let k = 1; k < n; k++) {
        const row = base + (<usize>(k * inner) << 2);
        let j = 0;
        for (; j + 4 <= inner; j += 4) {
          const p = <usize>j << 2;
          v128.store(ob + p, f32x4.add(v128.load(ob + p), v128.load(row + p)));
        }
        for (; j < inner; j++) {
          const p = <usize>j << 2;
          store<f32>(ob + p, load<f32>(ob + p) + load<f32>(row + p));
        }
      }
      continue;
    }
    // max/min/argmax/argmin: the first extreme wins ties, NaN propagates (as PyTorch)
    const isMax = op == R_MAX || op == R_ARGMAX;
    for (let j = 0; j < inner; j++) {
      let best = load<f32>(base + (<usize>j << 2));
      let bi = 0;
      for (let k = 1; k < n; k++) {
        if (best != best) break;
        const v = load<f32>(base + (<usize>(k * inner + j) << 2));
        if (v != v || (isMax ? v > best : v < best)) { best = v; bi = k; }
      }
      if (op == R_MAX || op == R_MIN) store<f32>(ob + (<usize>j << 2), best);
      else store<i32>(ob + (<usize>j << 2), bi);
    }
  }
}

/** Scatter-free gradient of max/min along a dim: out[o, idx[o,j], j] = g[o, j], else 0. */
export function indexBackward(g: usize, idx: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  memory.fill(out, 0, <usize>(outer * n * inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const k = load<i32>(idx + (<usize>(o * inner + j) << 2));
      store<f32>(out + (<usize>((o * n + k) * inner + j) << 2), load<f32>(g + (<usize>(o * inner + j) << 2)));
    }
  }
}
