// matmul / mm / bmm and the fused linear layer. Operands go to the SGEMM kernel as they are:
// a row-major matrix, or a transposed view read through the kernel's transpose flag, so
// backward's g·Bᵀ and Aᵀ·g never copy. Only a view with neither unit stride is copied first.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Reduce } from '../runtime/kernels.js';
import { gemm } from '../runtime/parallel.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, fmt, numelOf } from '../shape.js';
import { dense, reshape, unsqueeze } from './movement.js';
import { assertFloat, checkTensorArg } from './elementwise.js';

interface MatDesc { ld: number; trans: boolean }

/** How the kernel reads a rows×cols matrix with strides (sr, sc), or null if it must be copied. */
function describe(rows: number, cols: number, sr: number, sc: number): MatDesc | null {
  if (cols === 1 || sc === 1) {
    const ld = rows === 1 ? Math.max(cols, 1) : sr;
    if (rows === 1 || ld >= cols) return { ld, trans: false };
  }
  if (rows === 1 || sr === 1) {
    const ld = cols === 1 ? Math.max(rows, 1) : sc;
    if (cols === 1 || ld >= rows) return { ld, trans: true };
  }
  return null;
}

/** out[..., M, N] = a[..., M, K] @ b[..., K, N] with broadcast batch dims; no graph. */
function matmulRaw(a: Tensor, b: Tensor, op: string): Tensor {
  const M = a.shape[a.ndim - 2], Ka = a.shape[a.ndim - 1];
  const Kb = b.shape[b.ndim - 2], N = b.shape[b.ndim - 1];
  if (Ka !== Kb) throw new RangeError(`${op}: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${Ka} != ${Kb})`);
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, op);
  a.ptr(op); b.ptr(op);
  let ac = a, bc = b;
  const sA = a.strides.slice(-2), sB = b.strides.slice(-2);
  let da = describe(M, Ka, sA[0], sA[1]);
  if (!da) { ac = dense(a, op); da = describe(M, Ka, Ka, 1)!; }
  let db = describe(Kb, N, sB[0], sB[1]);
  if (!db) { bc = dense(b, op); db = describe(Kb, N, N, 1)!; }
  const out = Tensor.empty([...batch, M, N], 'float32', op);
  const nb = numelOf(batch);
  const stA = broadcastStrides(batchA, ac.strides.slice(0, -2), batch);
  const stB = broadcastStrides(batchB, bc.strides.slice(0, -2), batch);
  const pa0 = ac.ptr(op), pb0 = bc.ptr(op), po0 = out.ptr(op);
  const idx = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < nb; i++) {
    let offA = 0, offB = 0;
    for (let d = 0; d < batch.length; d++) { offA += idx[d] * stA[d]; offB += idx[d] * stB[d]; }
    gemm(M, N, Ka, pa0 + offA * 4, da.ld, da.trans, pb0 + offB * 4, db.ld, db.trans, po0 + i * M * N * 4, N, false);
    for (let d = batch.length - 1; d >= 0; d--) { if (++idx[d] < batch[d]) break; idx[d] = 0; }
  }
  if (ac !== a) ac.dispose();
  if (bc !== b) bc.dispose();
  return out;
}

/** The last two dims swapped, as a raw view (no graph); the caller disposes it. */
function mT(t: Tensor): Tensor {
  const nd = t.ndim, shape = [...t.shape], strides = [...t.strides];
  [shape[nd - 2], shape[nd - 1]] = [shape[nd - 1], shape[nd - 2]];
  [strides[nd - 2], strides[nd - 1]] = [strides[nd - 1], strides[nd - 2]];
  return t.view_(shape, strides);
}

/** a @ b through a raw transposed view of one operand. */
function matmulT(a: Tensor, b: Tensor, transposeA: boolean): Tensor {
  const v = transposeA ? mT(a) : mT(b);
  const out = transposeA ? matmulRaw(v, b, 'backward') : matmulRaw(a, v, 'backward');
  v.dispose();
  return out;
}

/**
 * The 2-D product op(a)·op(b) into a new [M, N] tensor, op = transpose where ta / tb says so, with
 * no view objects: the eager path of mm and linear, forward and backward. `bias` (contiguous [N])
 * starts every row of the result. Copies an operand only when neither of its strides is 1.
 */
function mm2(a: Tensor, ta: boolean, b: Tensor, tb: boolean, op: string, bias: Tensor | null = null): Tensor {
  const M = a.shape[ta ? 1 : 0], Kd = a.shape[ta ? 0 : 1], N = b.shape[tb ? 0 : 1];
  let ac = a, bc = b;
  let da = describe(M, Kd, a.strides[ta ? 1 : 0], a.strides[ta ? 0 : 1]);
  if (!da) { ac = dense(a, op); da = describe(M, Kd, ac.strides[ta ? 1 : 0], ac.strides[ta ? 0 : 1])!; }
  let db = describe(Kd, N, b.strides[tb ? 1 : 0], b.strides[tb ? 0 : 1]);
  if (!db) { bc = dense(b, op); db = describe(Kd, N, bc.strides[tb ? 1 : 0], bc.strides[tb ? 0 : 1])!; }
  const out = Tensor.empty([M, N], 'float32', op);
  // with a bias, the kernel starts every row of the result as the bias and accumulates the product onto it
  gemm(M, N, Kd, ac.ptr(op), da.ld, da.trans, bc.ptr(op), db.ld, db.trans, out.ptr(op), N, false, bias === null ? 0 : bias.ptr(op));
  if (ac !== a) ac.dispose();
  if (bc !== b) bc.dispose();
  return out;
}

/** Σ over the rows of a 2-D tensor: the bias gradient of linear. */
function rowSum(g: Tensor): Tensor {
  const gc = dense(g, 'backward');
  const out = Tensor.empty([g.shape[1]], 'float32', 'backward');
  K().reduce(Reduce.sum, gc.ptr('backward'), out.ptr('backward'), 1, g.shape[0], g.shape[1]);
  if (gc !== g) gc.dispose();
  return out;
}

/** a @ b for a, b with ≥ 2 dims, recording MmBackward0 / BmmBackward0. */
function matmulNd(a: Tensor, b: Tensor, op: string): Tensor {
  if (a.ndim === 2 && b.ndim === 2) {
    if (a.shape[1] !== b.shape[0]) throw new RangeError(`${op}: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${a.shape[1]} != ${b.shape[0]})`);
    a.ptr(op); b.ptr(op);
    const out = mm2(a, false, b, false, op);
    if (needsGrad(a, b)) {
      const sa = save(a), sb = save(b);
      record('MmBackward0', out, [a, b], (g, n) => [
        n[0] ? mm2(g, false, sb, true, 'backward') : null,
        n[1] ? mm2(sa, true, g, false, 'backward') : null,
      ], [sa, sb]);
    }
    return out;
  }
  const out = matmulRaw(a, b, op);
  if (needsGrad(a, b)) {
    const sa = save(a), sb = save(b);
    // dA = g·Bᵀ, dB = Aᵀ·g (batch broadcasting is summed away by the engine)
    record(a.ndim === 2 && b.ndim === 2 ? 'MmBackward0' : 'BmmBackward0', out, [a, b], (g, n) => [
      n[0] ? matmulT(g, sb, false) : null,
      n[1] ? matmulT(sa, g, true) : null,
    ], [sa, sb]);
  }
  return out;
}

function check(a: Tensor, b: Tensor, op: string): void {
  checkTensorArg(a, op, 'input'); checkTensorArg(b, op, 'other'); // before shapes: a number or a disposed tensor named as such
  assertFloat(a, op); assertFloat(b, op);
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError(`${op}: both arguments need at least 1 dimension, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
}

/** Matrix product: 1-D, 2-D and batched N-D operands, batch dims broadcast. PyTorch: `torch.matmul`. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  check(a, b, 'matmul');
  const ka = a.shape[a.ndim - 1], kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) throw new RangeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${ka} != ${kb})`);
  if (a.ndim >= 2 && b.ndim >= 2) return matmulNd(a, b, 'matmul');
  // 1-D operands become a row (a) or a column (b), squeezed away after the product
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const p = matmulNd(a2, b2, 'matmul');
  // drop the row / column dims the 1-D operands gained
  const shape = p.shape.filter((_, i) => !((a.ndim === 1 && i === p.ndim - 2) || (b.ndim === 1 && i === p.ndim - 1)));
  const out = reshape(p, shape);
  p.dispose();
  if (a2 !== a) a2.dispose();
  if (b2 !== b) b2.dispose();
  return out;
}

/** Product of two 2-D matrices. PyTorch: `torch.mm`. */
export function mm(a: Tensor, b: Tensor): Tensor {
  check(a, b, 'mm');
  if (a.ndim !== 2 || b.ndim !== 2) throw new RangeError(`mm: expected 2-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return matmulNd(a, b, 'mm');
}

/** Batched product of [B, n, m] and [B, m, p] tensors. PyTorch: `torch.bmm`. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  check(a, b, 'bmm');
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new RangeError(`bmm: expected 3-D tensors with the same batch size, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  return matmulNd(a, b, 'bmm');
}

/** `x·Wᵀ + b` in one kernel call (bias rows first, the product accumulated onto them). PyTorch: `F.linear`. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const op = 'linear';
  checkTensorArg(x, op, 'input'); checkTensorArg(weight, op, 'weight');
  if (bias !== undefined && bias !== null) checkTensorArg(bias, op, 'bias');
  assertFloat(x, op); assertFloat(weight, op);
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got shape ${fmt(weight.shape)}`);
  const [outF, inF] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new RangeError(`linear: input of shape ${fmt(x.shape)} does not match weight of shape ${fmt(weight.shape)} (expected last dim ${inF})`);
  }
  if (bias) {
    assertFloat(bias, op);
    if (bias.ndim !== 1 || bias.shape[0] !== outF) throw new RangeError(`linear: bias must have shape [${outF}], got ${fmt(bias.shape)}`);
  }
  if (x.ndim !== 2) {
    const x2 = reshape(x, [-1, inF]);
    const y2 = linear(x2, weight, bias);
    const y = reshape(y2, [...x.shape.slice(0, -1), outF]);
    x2.dispose(); y2.dispose();
    return y;
  }
  const biasC = bias ? dense(bias, op) : null;
  const out = mm2(x, false, weight, true, op, biasC);
  if (biasC !== null && biasC !== bias) biasC.dispose();
  if (bias ? needsGrad(x, weight, bias) : needsGrad(x, weight)) {
    const sx = save(x), sw = save(weight);
    // dx = g·W, dW = gᵀ·x, db = Σ_rows g
    if (bias) {
      record('AddmmBackward0', out, [x, weight, bias], (g, n) => [
        n[0] ? mm2(g, false, sw, false, 'backward') : null,
        n[1] ? mm2(g, true, sx, false, 'backward') : null,
        n[2] ? rowSum(g) : null,
      ], [sx, sw]);
    } else {
      record('MmBackward0', out, [x, weight], (g, n) => [
        n[0] ? mm2(g, false, sw, false, 'backward') : null,
        n[1] ? mm2(g, true, sx, false, 'backward') : null,
      ], [sx, sw]);
    }
  }
  return out;
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Matrix product: 1-D, 2-D and batched with broadcasting. PyTorch: `torch.Tensor.matmul`. */
    matmul(other: Tensor): Tensor;
    /** Product of two 2-D matrices. PyTorch: `torch.Tensor.mm`. */
    mm(other: Tensor): Tensor;
    /** Batched product of [B, n, m] and [B, m, p]. PyTorch: `torch.Tensor.bmm`. */
    bmm(other: Tensor): Tensor;
  }
}
