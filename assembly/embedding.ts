// Embedding's backward (rows of the gradient added at their indices, repeated indices
// accumulating) and max_norm's in-place renormalization. The forward is indexing's indexSelect,
// and the indices are bounds-checked by indexCheck before any of these runs.
import { at } from './reduce_tiles';

/**
 * dw (V × D, zeroed here) += g's rows at idx (n indices, g is n × D); the row `paddingIdx` gets
 * nothing (−1: none). With `counts` (V int32 of scratch, non-zero pointer) each row is scaled by
 * 1/(how often its index occurs): PyTorch's scale_grad_by_freq.
 */
export function embeddingBackward(g: usize, idx: usize, dw: usize, n: i32, D: i32, V: i32, paddingIdx: i32, counts: usize): void {
  memory.fill(dw, 0, <usize>(V * D) << 2);
  if (counts != 0) {
    memory.fill(counts, 0, <usize>V << 2);
    for (let i = 0; i < n; i++) {
      const p = counts + (<usize>load<i32>(at(idx, i)) << 2);
      store<i32>(p, load<i32>(p) + 1);
    }
  }
  for (let i = 0; i < n; i++) {
    const r = load<i32>(at(idx, i));
    if (r == paddingIdx) continue;
    const src = g + (<usize>(i * D) << 2), dst = dw + (<usize>(r * D) << 2);
    const s: f32 = counts != 0 ? <f32>1 / <f32>load<i32>(counts + (<usize>r << 2)) : 1;
    const sv = f32x4.splat(s);
    let j = 0;
    for (; j + 4 <= D; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), sv)));
    }
    for (; j < D; j++) store<f32>(at(dst, j), load<f32>(at(dst, j)) + load<f32>(at(src, j)) * s);
  }
}

/**
 * max_norm: every row of w (V × D) named in idx whose p-norm exceeds maxNorm is scaled in place by
 * maxNorm/(norm + 1e-7), once per distinct index (`seen`: V int32 of scratch). p = Infinity is the
 * largest |x|. As PyTorch's embedding_renorm_.
 */
export function embeddingRenorm(w: usize, idx: usize, n: i32, D: i32, V: i32, maxNorm: f32, p: f32, seen: usize): void {
  memory.fill(seen, 0, <usize>V << 2);
  for (let i = 0; i < n; i++) {
    const r = load<i32>(at(idx, i));
    const sp = seen + (<usize>r << 2);
    if (load<i32>(sp) != 0) continue;
    store<i32>(sp, 1);
    const row = w + (<usize>(r * D) << 2);
    let acc: f64 = 0;
    for (let j = 0; j < D; j++) {
      const a = <f64>Mathf.abs(load<f32>(at(row, j)));
      if (p == 2) acc += a * a;
      else if (p == 1) acc += a;
      else if (p == Infinity) acc = max(acc, a);
      else acc += Math.pow(a, <f64>p);
    }
    const norm: f64 = p == 2 ? Math.sqrt(acc) : p == 1 || p == Infinity ? acc : Math.pow(acc, 1 / <f64>p);
    if (norm > <f64>maxNorm) {
      const s = <f32>(<f64>maxNorm / (norm + 1e-7));
      for (let j = 0; j < D; j++) store<f32>(at(row, j), load<f32>(at(row, j)) * s);
    }
  }
}
