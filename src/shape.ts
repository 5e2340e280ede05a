// Shape arithmetic: dims, strides, broadcasting, formatting for error messages. Imports nothing:
// the bottom layer, under the tensor and every op.

export function fmt(shape: readonly number[]): string { return `[${shape.join(', ')}]`; }

/** A dim in [-nd, nd) as a non-negative index; `op` names the caller in the error. */
export function normDim(dim: number, nd: number, op: string): number {
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${typeof dim === 'string' ? `string ${JSON.stringify(dim)}` : dim === null ? 'null' : typeof dim}`);
  const n = Math.max(nd, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(`${op}: dimension ${dim} is out of range for a tensor of ${nd} dims (expected in [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const nd = Math.max(a.length, b.length);
  const out = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const da = a[a.length - nd + i] ?? 1;
    const db = b[b.length - nd + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db}); sizes must match or be 1`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element strides that read a tensor of (shape, strides) as if it had `target` shape. */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const nd = target.length;
  const out = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const j = shape.length - nd + i;
    out[i] = j < 0 || shape[j] === 1 ? 0 : strides[j];
  }
  return out;
}

/** A tensor seen as [outer, n, inner] around dim d: how the reduction and softmax kernels walk it. */
export function aroundDim(shape: readonly number[], d: number): [number, number, number] {
  if (shape.length === 0) return [1, 1, 1];
  let outer = 1, inner = 1;
  for (let i = 0; i < d; i++) outer *= shape[i];
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[d], inner];
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest tensor: one block of AssemblyScript's TLSF allocator (1 GiB less its header), in bytes. */
export const MAX_TENSOR_BYTES = 2 ** 30 - 16;

/** Checks user-given sizes: each a safe non-negative integer (views such as expand need no more). */
export function checkSize(size: readonly number[], op: string): void {
  for (const d of size) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${op}: sizes must be non-negative integers, got ${fmt(size)}${typeof d === 'number' && !Number.isInteger(d) ? ` (${d} is not an integer)` : ''}`);
    }
  }
}

/**
 * checkSize, and the whole tensor (4 bytes an element) within one allocator block: what every
 * allocation checks, so no byte count wraps at 32 bits on its way to alloc.
 */
export function checkAllocSize(size: readonly number[], op: string): void {
  checkSize(size, op);
  const n = numelOf(size);
  if (n * 4 > MAX_TENSOR_BYTES) {
    throw new RangeError(`${op}: a tensor of shape ${fmt(size)} needs ${n * 4} bytes; the largest tensor is ${MAX_TENSOR_BYTES} bytes (${Math.floor(MAX_TENSOR_BYTES / 4)} float32 elements, one block of WebAssembly memory)`);
  }
}

/** Row-major strides (in elements) of a contiguous tensor of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
  return strides;
}

/** Number of elements of a shape. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
