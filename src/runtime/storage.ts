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
  /** Bumped by every in-place write (views share it with their base): autograd's check that saved data is unchanged. PyTorch: the version counter. */
  version = 0;
  constructor(public ptr: number, public bytes: number) {}
}

const stats = { liveTensors: 0, bytesInUse: 0, peakBytes: 0 };

/** WebAssembly's 32-bit address space: linear memory never grows past 4 GiB. */
const WASM_LIMIT = 2 ** 32;
// One TLSF block (AssemblyScript's BLOCK_MAXSIZE is 2^30 less a 4-byte header; 16 keeps alignment).
const MAX_BLOCK = 2 ** 30 - 16;

export function allocStorage(bytes: number, op: string): Storage {
  const k = K();
  // Sizes reach here as JavaScript numbers; alloc takes a u32, so anything that would wrap or
  // that TLSF refuses (it traps past one block) is a RangeError before the call.
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`${op}: invalid byte count ${bytes} (a size is not a non-negative integer)`);
  const size = Math.max(bytes, 4);
  if (size > MAX_BLOCK) {
    throw new RangeError(`${op}: out of memory: asked for ${size} bytes, more than the largest tensor of ${MAX_BLOCK} bytes (one WebAssembly memory block)`);
  }
  const limit = Math.min(memoryLimitBytes(), WASM_LIMIT);
  if (stats.bytesInUse + size > limit) {
    throw new RangeError(`${op}: out of memory: asked for ${size} bytes with ${stats.bytesInUse} in use, past the limit of ${limit} bytes (${limit === WASM_LIMIT ? 'WebAssembly\'s 4 GiB' : 'init({ maxMemoryMB })'}); free tensors (dispose, tidy) and retry`);
  }
  let ptr: number;
  try {
    ptr = k.alloc(size) >>> 0; // past 2 GiB an i32 result reads negative: addresses are unsigned
  } catch (e) {
    // TLSF traps before touching its lists when memory.grow fails, so every block stays intact.
    throw new RangeError(`${op}: out of WebAssembly memory: asked for ${size} bytes with ${stats.bytesInUse} in use (${wasmBytes()} bytes of linear memory could not grow; the limit is 4 GiB); free tensors (dispose, tidy) and retry`);
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
  return { ...stats, wasmBytes: wasmBytes() };
}

// From the buffer, not the kernel's u32 page count, which reads 0 at exactly 4 GiB.
function wasmBytes(): number { return K().memory.buffer.byteLength; }

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
  scratch = { meta: k.alloc(64 * 4 * 4) >>> 0, scalar: k.alloc(16) >>> 0, packA: k.alloc(k.gemmPackABytes()) >>> 0, packB: k.alloc(k.gemmPackBBytes()) >>> 0 };
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
