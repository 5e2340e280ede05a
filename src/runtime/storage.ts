// Buffers in WebAssembly memory and who frees them. A Storage is shared by a tensor and its
// views (and by autograd's saved handles): each holder takes a reference, the last release
// frees the block. Typed-array views are made at the moment of use, never kept, because
// memory.grow detaches every old view.
import { K, memoryLimitBytes } from './wasm.js';

/** The strided kernels' odometer holds this many dims (assembly/strided.ts MAX_DIMS). */
export const MAX_DIMS = 16;

/** A block of WebAssembly memory shared by a tensor, its views and saved handles; the last release frees it. */
export class Storage {
  refs = 1;
  constructor(public ptr: number, public bytes: number) {}
}

const stats = { liveTensors: 0, bytesInUse: 0, peakBytes: 0 };

export function allocStorage(bytes: number, op: string): Storage {
  const k = K();
  const size = Math.max(bytes, 4);
  const limit = memoryLimitBytes();
  if (stats.bytesInUse + size > limit) {
    throw new RangeError(`${op}: out of memory: asked for ${size} bytes with ${stats.bytesInUse} in use, past the limit of ${limit} bytes (maxMemoryMB)`);
  }
  let ptr: number;
  try {
    ptr = k.alloc(size);
  } catch (e) {
    // TLSF traps before touching its lists when memory.grow fails, so every block stays intact.
    throw new RangeError(`${op}: out of WebAssembly memory: asked for ${size} bytes with ${stats.bytesInUse} in use (${k.memoryBytes()} bytes of linear memory; the limit is 4 GiB)`);
  }
  stats.bytesInUse += size;
  if (stats.bytesInUse > stats.peakBytes) stats.peakBytes = stats.bytesInUse;
  return new Storage(ptr, size);
}

export function retain(s: Storage): Storage { s.refs++; return s; }

export function release(s: Storage): void {
  if (--s.refs === 0) {
    K().free(s.ptr);
    stats.bytesInUse -= s.bytes;
    s.ptr = -1;
  }
}

export function countTensor(delta: number): void { stats.liveTensors += delta; }

/** Live tensors, bytes they hold (now and at peak) and the WebAssembly memory size. PyTorch: none (cf. `torch.cuda.memory_stats`). */
export function memoryStats(): { liveTensors: number; bytesInUse: number; peakBytes: number; wasmBytes: number } {
  return { ...stats, wasmBytes: K().memoryBytes() };
}

export function f32View(ptr: number, n: number): Float32Array {
  return new Float32Array(K().memory.buffer, ptr, n);
}
export function i32View(ptr: number, n: number): Int32Array {
  return new Int32Array(K().memory.buffer, ptr, n);
}

// Small blocks the library owns for its lifetime: strided-kernel metadata, scalar operands,
// matmul packing. Allocated on first use, never freed, not counted as tensor memory.
let scratch: { meta: number; scalar: number; packA: number; packB: number } | null = null;
export function scratchBlocks(): { meta: number; scalar: number; packA: number; packB: number } {
  if (scratch) return scratch;
  const k = K();
  scratch = { meta: k.alloc(64 * 4 * 4), scalar: k.alloc(16), packA: k.alloc(k.gemmPackABytes()), packB: k.alloc(k.gemmPackBBytes()) };
  return scratch;
}

/** Writes shape and stride rows (i32) into the metadata block and returns its address. */
export function writeMeta(rows: readonly (readonly number[])[]): number {
  const { meta } = scratchBlocks();
  const nd = rows[0].length;
  if (nd > MAX_DIMS) throw new RangeError(`tensors with more than ${MAX_DIMS} dims are not supported by the strided kernels (got ${nd})`);
  const v = i32View(meta, rows.length * nd);
  for (let r = 0; r < rows.length; r++) for (let d = 0; d < nd; d++) v[r * nd + d] = rows[r][d];
  return meta;
}

/** A float in the scalar slot, for number operands of binary ops (broadcast with stride 0). */
export function scalarSlot(value: number): number {
  const { scalar } = scratchBlocks();
  f32View(scalar, 1)[0] = value;
  return scalar;
}
