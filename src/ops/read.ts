// Reading a tensor's data out: typed-array copies, nested lists, and toString exactly as PyTorch's
// repr (torch/_tensor_str.py: 4 digits, summaries past 1000 elements with 3 edge items, 80-column
// lines): tensor([[ 0.1000, -1.2000]], requires_grad=True).
import type { Tensor } from '../tensor.js';
import { f32View, i32View } from '../runtime/storage.js';
import { dense } from './movement.js';

/** A copy of the data in row-major order, as float32. */
export function toFloat32Array(t: Tensor, op = 'toFloat32Array'): Float32Array {
  const c = dense(t, op); // a disposed tensor or a copy past the size limit is named under the caller's name
  const n = t.numel();
  const p = c.ptr('toFloat32Array');
  const out = t.dtype === 'float32' ? new Float32Array(f32View(p, n)) : Float32Array.from(i32View(p, n));
  if (c !== t) c.dispose();
  return out;
}

/** A copy of the data in row-major order, as int32 (floats truncated). */
export function toInt32Array(t: Tensor, op = 'toInt32Array'): Int32Array {
  const c = dense(t, op);
  const n = t.numel();
  const p = c.ptr('toInt32Array');
  // int32 and bool (0/1) share the 4-byte integer storage
  const out = t.dtype !== 'float32' ? new Int32Array(i32View(p, n)) : Int32Array.from(f32View(p, n), Math.trunc);
  if (c !== t) c.dispose();
  return out;
}

/** The values in row-major order as JS numbers (bool as 0/1). */
export function dataSync(t: Tensor, op = 'dataSync'): number[] {
  return Array.from(t.dtype === 'float32' ? toFloat32Array(t, op) : toInt32Array(t, op));
}

/** Nested arrays of numbers, or of booleans for a bool tensor (a bare value for a 0-dim tensor). */
export function tolist(t: Tensor): unknown {
  const nums = dataSync(t, 'tolist');
  const flat: (number | boolean)[] = t.dtype === 'bool' ? nums.map((v) => v !== 0) : nums;
  if (t.ndim === 0) return flat[0];
  let i = 0;
  const build = (d: number): unknown[] => {
    const out: unknown[] = [];
    for (let k = 0; k < t.shape[d]; k++) out.push(d === t.ndim - 1 ? flat[i++] : build(d + 1));
    return out;
  };
  return build(0);
}

// ---- repr -----------------------------------------------------------------------------------
// PyTorch's print options (torch.set_printoptions defaults).
const PRECISION = 4, THRESHOLD = 1000, EDGEITEMS = 3, LINEWIDTH = 80;

// Python formats floats by rounding the exact binary value half-to-even ('{:.4f}'.format(1.03125)
// is '1.0312'); JavaScript's toFixed/toExponential round ties up. So both formats start from the
// exact decimal expansion of the double: |x| = digits × 10^exp.
const dv = new DataView(new ArrayBuffer(8));
function exactDecimal(x: number): { digits: bigint; exp: number } {
  dv.setFloat64(0, Math.abs(x));
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const biased = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mant |= 1n << 52n;
  const e2 = (biased === 0 ? 1 : biased) - 1075; // |x| = mant × 2^e2
  if (e2 >= 0) return { digits: mant << BigInt(e2), exp: 0 };
  return { digits: mant * 5n ** BigInt(-e2), exp: e2 }; // mant × 2^e2 = mant × 5^-e2 × 10^e2
}

/** digits × 10^-k rounded half to even. */
function roundHalfEven(digits: bigint, k: number): bigint {
  if (k <= 0) return digits * 10n ** BigInt(-k);
  const p = 10n ** BigInt(k);
  const q = digits / p, r2 = (digits % p) * 2n;
  return r2 > p || (r2 === p && q % 2n === 1n) ? q + 1n : q;
}

const sign = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Python's `'{:.{f}f}'.format(x)`. */
function pyFixed(x: number, f: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const { digits, exp } = exactDecimal(x);
  const s = roundHalfEven(digits, -(exp + f)).toString().padStart(f + 1, '0');
  return sign(x) + (f === 0 ? s : `${s.slice(0, s.length - f)}.${s.slice(s.length - f)}`);
}

/** Python's `'{:.{f}e}'.format(x)`. */
function pyExp(x: number, f: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  let mant: string, e10: number;
  if (x === 0) { mant = '0'.repeat(f + 1); e10 = 0; } else {
    const { digits, exp } = exactDecimal(x);
    const len = digits.toString().length;
    e10 = len - 1 + exp;
    mant = roundHalfEven(digits, len - (f + 1)).toString();
    if (mant.length > f + 1) { mant = mant.slice(0, f + 1); e10++; } // 9.99995 rounds up to 10.0000
  }
  const e = `${e10 < 0 ? '-' : '+'}${String(Math.abs(e10)).padStart(2, '0')}`;
  return `${sign(x)}${mant[0]}${f > 0 ? '.' + mant.slice(1) : ''}e${e}`;
}

/** torch/_tensor_str.py's _Formatter: one width and one notation for every element printed. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  width = 1;
  constructor(values: readonly number[], private readonly dtype: string) {
    if (dtype !== 'float32') {
      for (const v of values) this.width = Math.max(this.width, this.str(v).length);
      return;
    }
    const vals = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (vals.length === 0) return;
    let lo = Infinity, hi = 0;
    for (const v of vals) { const a = Math.abs(v); if (a < lo) lo = a; if (a > hi) hi = a; }
    this.intMode = vals.every((v) => v === Math.ceil(v));
    // PyTorch switches to scientific notation when magnitudes span too widely
    this.sciMode = hi / lo > 1000 || hi > 1e8 || (!this.intMode && lo < 1e-4);
    for (const v of vals) {
      const len = this.sciMode ? pyExp(v, PRECISION).length : this.intMode ? pyFixed(v, 0).length + 1 : pyFixed(v, PRECISION).length;
      if (len > this.width) this.width = len;
    }
  }
  private str(v: number): string {
    if (this.dtype === 'bool') return v !== 0 ? 'True' : 'False';
    if (this.dtype !== 'float32') return String(v);
    if (this.sciMode) return pyExp(v, PRECISION);
    if (this.intMode) return pyFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    return pyFixed(v, PRECISION);
  }
  format(v: number): string { return this.str(v).padStart(this.width); }
}

/** Indices kept along a dim of size n: all, or the EDGEITEMS at each end when summarising. */
function kept(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGEITEMS) return [0, 1, 2, n - 3, n - 2, n - 1];
  return Array.from({ length: n }, (_, i) => i);
}

/** torch/_tensor_str.py's _tensor_str: rows, `...` rows and 80-column wrapping. */
function tensorBody(flat: readonly number[], shape: readonly number[], indent: number, dtype: string): string {
  const nd = shape.length;
  const summarize = flat.length > THRESHOLD;
  const strides: number[] = new Array(nd);
  for (let d = nd - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
  // the formatter sees only what is printed (get_summarized_data)
  const shown: number[] = [];
  const gather = (d: number, base: number): void => {
    if (d === nd) { shown.push(flat[base]); return; }
    for (const i of kept(shape[d], summarize)) gather(d + 1, base + i * strides[d]);
  };
  gather(0, 0);
  const fmt = new Formatter(shown, dtype);
  if (nd === 0) return fmt.format(flat[0]);
  const build = (d: number, base: number, ind: number): string => {
    const n = shape[d];
    const cut = summarize && n > 2 * EDGEITEMS;
    const idx = kept(n, summarize);
    if (d === nd - 1) {
      const items = idx.map((i) => fmt.format(flat[base + i * strides[d]]));
      if (cut) items.splice(EDGEITEMS, 0, ' ...');
      const perLine = Math.max(1, Math.floor((LINEWIDTH - ind) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(',\n' + ' '.repeat(ind + 1))}]`;
    }
    const rows = idx.map((i) => build(d + 1, base + i * strides[d], ind + 1));
    if (cut) rows.splice(EDGEITEMS, 0, '...');
    return `[${rows.join(',' + '\n'.repeat(nd - d - 1) + ' '.repeat(ind + 1))}]`;
  };
  return build(0, 0, indent);
}

/** torch/_tensor_str.py's _add_suffixes: `, dtype=...` on the same line while it fits in 80 columns. */
function addSuffixes(s: string, suffixes: string[], indent: number): string {
  let last = s.length - s.lastIndexOf('\n') + 1;
  let out = s;
  for (const suffix of suffixes) {
    if (last + suffix.length + 2 > LINEWIDTH) { out += ',\n' + ' '.repeat(indent) + suffix; last = indent + suffix.length; } else { out += ', ' + suffix; last += suffix.length + 2; }
  }
  return out + ')';
}

/** PyTorch's `repr(t)`: `tensor([1., 2.], requires_grad=True)`; parameters as `Parameter containing:` it. */
export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(', ')}])`;
  const prefix = 'tensor(';
  const suffixes: string[] = [];
  let body: string;
  if (t.numel() === 0) {
    // PyTorch spells out the shape unless it is (0,), and any dtype but the default float
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    body = '[]';
  } else {
    // float32 is the default dtype and bool is always implied by the values; int32 is not
    // (PyTorch's default integer type is int64)
    if (t.dtype === 'int32') suffixes.push('dtype=torch.int32');
    body = tensorBody(dataSync(t), t.shape, prefix.length, t.dtype);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  const repr = addSuffixes(prefix + body, suffixes, prefix.length);
  return t.isParameter ? `Parameter containing:\n${repr}` : repr;
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** A copy of the data in row-major order, as float32. PyTorch: `t.flatten().numpy()`. */
    toFloat32Array(): Float32Array;
    /** A copy of the data in row-major order, as int32 (floats truncated). PyTorch: `t.flatten().int().numpy()`. */
    toInt32Array(): Int32Array;
    /** The values in row-major order as JS numbers (bool as 0/1). PyTorch: `t.flatten().tolist()`. */
    dataSync(): number[];
    /** The data as nested arrays of numbers, or booleans for a bool tensor (a bare value for a 0-dim tensor). PyTorch: `torch.Tensor.tolist`. */
    tolist(): unknown;
    /** The values exactly as PyTorch's repr prints them: `tensor([[1., 2.]], requires_grad=True)`. PyTorch: `repr(t)`. */
    toString(): string;
  }
}
