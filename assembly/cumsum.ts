// cumsum: running sums along the middle axis of [outer, n, inner], f32 (in f64) or i32.
import { at, TILE, tile64, zeroTile } from './reduce_tiles';

/**
 * Running sum along the middle axis (reverse: from the end, the gradient of cumsum); f32 or
 * (isInt) i32. f32 runs in f64 (as PyTorch on CPU), each output rounded once: rows (inner == 1)
 * scalar, inner > 1 over a tile of columns with the running sums in the f64 tile, v128 (two
 * f64x2 per four columns). i32 adds whole rows, v128 across inner.
 */
export function cumsum(x: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool, isInt: bool): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (inner == 1) {
      if (isInt) {
        let s: i32 = 0;
        for (let t = 0; t < n; t++) { const k = reverse ? n - 1 - t : t; s += load<i32>(at(x, base + k)); store<i32>(at(out, base + k), s); }
      } else {
        // four at a time with the running sum's chain one add long: s + x0, s + (x0 + x1), ...
        // (the f32 inputs' partial sums are exact in f64 but for exponents 29+ binades apart)
        let s: f64 = 0;
        let t = 0;
        for (; t + 4 <= n; t += 4) {
          const k = reverse ? n - 1 - t : t;
          const d = reverse ? -1 : 1;
          const x0 = <f64>load<f32>(at(x, base + k)), p1 = x0 + <f64>load<f32>(at(x, base + k + d));
          const p2 = p1 + <f64>load<f32>(at(x, base + k + 2 * d)), p3 = p2 + <f64>load<f32>(at(x, base + k + 3 * d));
          store<f32>(at(out, base + k), <f32>(s + x0)); store<f32>(at(out, base + k + d), <f32>(s + p1));
          store<f32>(at(out, base + k + 2 * d), <f32>(s + p2));
          s += p3;
          store<f32>(at(out, base + k + 3 * d), <f32>s);
        }
        for (; t < n; t++) { const k = reverse ? n - 1 - t : t; s += <f64>load<f32>(at(x, base + k)); store<f32>(at(out, base + k), <f32>s); }
      }
      continue;
    }
    if (!isInt) {
      for (let j0 = 0; j0 < inner; j0 += TILE) {
        const w = min(TILE, inner - j0);
        zeroTile(tile64, <usize>w << 3);
        for (let t = 0; t < n; t++) {
          const k = reverse ? n - 1 - t : t;
          const off = base + k * inner + j0;
          const row = at(x, off), orow = at(out, off);
          let j = 0;
          for (; j + 4 <= w; j += 4) {
            const v = v128.load(row + (<usize>j << 2)), q = tile64 + (<usize>j << 3);
            const lo = f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v));
            const hi = f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
            v128.store(q, lo); v128.store(q, hi, 16);
            const dl = f32x4.demote_f64x2_zero(lo), dh = f32x4.demote_f64x2_zero(hi);
            v128.store(orow + (<usize>j << 2), i8x16.shuffle(dl, dh, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
          }
          for (; j < w; j++) {
            const q = tile64 + (<usize>j << 3);
            const s = load<f64>(q) + <f64>load<f32>(at(row, j));
            store<f64>(q, s);
            store<f32>(at(orow, j), <f32>s);
          }
        }
      }
      continue;
    }
    for (let t = 0; t < n; t++) {
      const k = reverse ? n - 1 - t : t;
      const row = at(x, base + k * inner), orow = at(out, base + k * inner);
      if (t == 0) { memory.copy(orow, row, <usize>inner << 2); continue; }
      const prev = at(out, base + (reverse ? k + 1 : k - 1) * inner);
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const q = <usize>j << 2;
        v128.store(orow + q, isInt ? i32x4.add(v128.load(prev + q), v128.load(row + q)) : f32x4.add(v128.load(prev + q), v128.load(row + q)));
      }
      for (; j < inner; j++) {
        if (isInt) store<i32>(at(orow, j), load<i32>(at(prev, j)) + load<i32>(at(row, j)));
        else store<f32>(at(orow, j), load<f32>(at(prev, j)) + load<f32>(at(row, j)));
      }
    }
  }
}
