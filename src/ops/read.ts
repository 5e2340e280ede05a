// Reading a tensor's data out: typed-array copies, nested lists, and toString like PyTorch's repr:
// tensor([[ 0.1000, -1.2000]], requires_grad=True).
import type { Tensor } from '../tensor.js';
import { f32View, i32View } from '../runtime/storage.js';
import { contiguous } from './movement.js';

/** A copy of the data in row-major order, as float32. */
export function toFloat32Array(t: Tensor): Float32Array {
  const c = t.isContiguous() ? t : contiguous(t);
  const n = t.numel();
  const p = c.ptr('toFloat32Array');
  const out = t.dtype === 'float32' ? new Float32Array(f32View(p, n)) : Float32Array.from(i32View(p, n));
  if (c !== t) c.dispose();
  return out;
}

/** A copy of the data in row-major order, as int32 (floats truncated). */
export function toInt32Array(t: Tensor): Int32Array {
  const c = t.isContiguous() ? t : contiguous(t);
  const n = t.numel();
  const p = c.ptr('toInt32Array');
  const out = t.dtype === 'int32' ? new Int32Array(i32View(p, n)) : Int32Array.from(f32View(p, n), Math.trunc);
  if (c !== t) c.dispose();
  return out;
}

/** The values in row-major order as JS numbers. */
export function dataSync(t: Tensor): number[] {
  return Array.from(t.dtype === 'int32' ? toInt32Array(t) : toFloat32Array(t));
}

/** Nested arrays of numbers (a number for a 0-dim tensor). */
export function tolist(t: Tensor): unknown {
  const flat = dataSync(t);
  if (t.ndim === 0) return flat[0];
  let i = 0;
  const build = (d: number): unknown[] => {
    const out: unknown[] = [];
    for (let k = 0; k < t.shape[d]; k++) out.push(d === t.ndim - 1 ? flat[i++] : build(d + 1));
    return out;
  };
  return build(0);
}

function fmtNumber(v: number, dtype: string, fixed: boolean): string {
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return fixed ? v.toFixed(4) : v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(', ')}])`;
  const flat = dataSync(t);
  const finite = flat.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  // PyTorch switches to scientific notation when magnitudes span too widely
  const fixed = finite.length === 0 || (Math.max(...finite) < 1e8 && Math.max(...finite) / Math.min(...finite) < 1000 && Math.min(...finite) >= 1e-4);
  const strs = flat.map((v) => fmtNumber(v, t.dtype, fixed));
  const width = Math.max(0, ...strs.map((s) => s.length));
  let i = 0;
  const indent = 'tensor('.length;
  const build = (d: number): string => {
    if (t.ndim === 0) return strs[0];
    const parts: string[] = [];
    for (let k = 0; k < t.shape[d]; k++) parts.push(d === t.ndim - 1 ? strs[i++].padStart(width) : build(d + 1));
    if (d === t.ndim - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.ndim - 1 - d) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  const extras: string[] = [];
  if (t.dtype === 'int32') extras.push('dtype=torch.int32');
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requires_grad=True');
  const body = t.numel() === 0 ? '[]' : build(0);
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** A copy of the data in row-major order, as float32. PyTorch: `t.flatten().numpy()`. */
    toFloat32Array(): Float32Array;
    /** A copy of the data in row-major order, as int32 (floats truncated). PyTorch: `t.flatten().int().numpy()`. */
    toInt32Array(): Int32Array;
    /** The values in row-major order as JS numbers. PyTorch: `t.flatten().tolist()`. */
    dataSync(): number[];
    /** The data as nested arrays of numbers (a number for a 0-dim tensor). PyTorch: `torch.Tensor.tolist`. */
    tolist(): unknown;
    /** The values as PyTorch prints them: `tensor([[1.0000, 2.0000]], requires_grad=True)`. PyTorch: `repr(t)`. */
    toString(): string;
  }
}
