// Buffers in WebAssembly memory and who frees them. A Storage is shared by a tensor and its
// views (and by autograd's saved handles): each holder takes a reference, the last release
// frees the block. Typed-array views are made at the moment of use, never kept, because
// memory.grow detaches every old view.
import { K, memoryLimitBytes } from './wasm.js';
import type { Kernels } from './kernels.js';

/** The strided kernels' odometer holds this many dims (assembly/strided.ts MAX_DIMS). */
export const MAX_DIMS = 16;

/** A block of WebAssembly memory shared by a tensor, its views and saved handles; the last release frees it. */
export class Storage {
  refs = 1;
  /** Bumped by every in-place write (views share it with their base): autograd's check that saved data is unchanged. PyTorch: the version counter. */
  version = 0;
  constructor(public ptr: number, public bytes: number) {}
}

const stats = { liveTensors: 0, bytesInUse: 0, peakBytes: 0, cachedBytes: 0 };

/** WebAssembly's 32-bit address space: linear memory never grows past 4 GiB. */
const WASM_LIMIT = 2 ** 32;
// One TLSF block (AssemblyScript's BLOCK_MAXSIZE is 2^30 less a 4-byte header; 16 keeps alignment).
const MAX_BLOCK = 2 ** 30 - 16;

// ---- the caching allocator (PyTorch's CUDA caching allocator is the model) ---------------------
// A training loop frees and allocates the same sizes every step, so a freed block waits in a
// JavaScript free list for the next request of its size class instead of going back to TLSF:
// allocating and freeing a tensor then costs no call into WebAssembly. bytesInUse is PyTorch's
// memory_allocated, bytesInUse + cachedBytes its memory_reserved; emptyCache() its empty_cache.
//
// Size classes are TLSF's own: it gives a request of n bytes a payload of ((n + 19) & ~15) - 4
// (16-byte aligned after a 4-byte header, 12 at least: rt/tlsf.ts computeSize). A block is
// allocated at its class's full capacity, so it serves any request of its class; the same shape
// always finds its class again, and the rounding costs no byte TLSF would not take anyway.
// Class index: (n + 19) >> 4, the block's size in 16-byte units.
//
// Only tensors up to 1 MiB are cached: TLSF's alloc and free cost ~0.1 µs together, nothing beside
// an op that writes a megabyte (~35 µs), while a large cached block is the most memory other sizes
// cannot use. The cache holds at most cacheLimit bytes and frees past it: a cached block serves
// one size class only (TLSF cannot split it or merge it with its neighbours), linear memory never
// shrinks, and TLSF doubles it when it grows, so blocks of shapes no longer used (another batch
// size at evaluation, a changed model) must not pile up without bound. 32 MiB holds the small
// temporaries of a training step many times over.
const CLASS_BYTES = 16;
const MAX_CACHED_BLOCK = 2 ** 20;
const SMALL_CLASSES = ((64 * 1024 + 19) >>> 4) + 1; // blocks up to 64 KiB: an array indexed by class
let cacheLimit = 32 * 2 ** 20;
const small: (number[] | undefined)[] = new Array<number[] | undefined>(SMALL_CLASSES).fill(undefined); // lists made on first use
// The small classes that have a list, so emptyCache visits those only: it runs on every cache miss
// that would grow memory (a loop without tidy frees through the GC, so memory grows every step),
// and walking all 4,097 classes there cost more than the rest of a small model's step.
const smallUsed: number[] = [];
const large = new Map<number, number[]>();

// Bytes of TLSF blocks this module holds (tensors, cache, scratch; each with its 4-byte header) and
// the lowest address TLSF gave out (the start of its heap): with the memory size they estimate the
// free bytes TLSF has left, so a miss can return the cache before TLSF would grow memory for it.
let heldBytes = 0;
let heapStart = Infinity;

/** The payload TLSF gives a block of size class `c`. */
const capacityOf = (c: number): number => c * CLASS_BYTES - 4;

export function allocStorage(bytes: number, op: string): Storage {
  // Sizes reach here as JavaScript numbers; alloc takes a u32, so anything that would wrap or
  // that TLSF refuses (it traps past one block) is a RangeError before the call.
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`${op}: invalid byte count ${bytes} (a size is not a non-negative integer)`);
  const size = bytes > 4 ? bytes : 4;
  if (size > MAX_BLOCK) {
    throw new RangeError(`${op}: out of memory: asked for ${size} bytes, more than the largest tensor of ${MAX_BLOCK} bytes (one WebAssembly memory block)`);
  }
  const limit = Math.min(memoryLimitBytes(), WASM_LIMIT);
  if (stats.bytesInUse + size > limit) throw overLimit(op, size, limit);
  const c = (size + 19) >>> 4;
  const list = c < SMALL_CLASSES ? small[c] : large.get(c);
  let ptr: number;
  if (list !== undefined && list.length > 0) {
    ptr = list.pop()!;
    stats.cachedBytes -= capacityOf(c);
  } else {
    ptr = allocBlock(size, capacityOf(c), limit, op);
  }
  stats.bytesInUse += size;
  if (stats.bytesInUse > stats.peakBytes) stats.peakBytes = stats.bytesInUse;
  return new Storage(ptr, size);
}

function overLimit(op: string, size: number, limit: number): RangeError {
  return new RangeError(`${op}: out of memory: asked for ${size} bytes with ${stats.bytesInUse} in use, past the limit of ${limit} bytes (${limit === WASM_LIMIT ? 'WebAssembly\'s 4 GiB' : 'init({ maxMemoryMB })'}); free tensors (dispose, tidy) and retry`);
}

// A cache miss: a new block from TLSF. Cached blocks are returned to TLSF first when the limit
// counting them would be passed or TLSF would have to grow memory, and again when TLSF traps
// (memory cannot grow), then the allocation is tried once more. Throwing leaves tensors and
// bytesInUse as they were (the cache may have been emptied, as PyTorch does before its OOM error).
function allocBlock(size: number, capacity: number, limit: number, op: string): number {
  const k = K(); // outside the try: "not initialised" is not an out-of-memory error
  if (stats.cachedBytes > 0 && (stats.bytesInUse + stats.cachedBytes + size > limit || tlsfWouldGrow(capacity))) emptyCache();
  try {
    return takeBlock(k, capacity);
  } catch {
    // TLSF traps before touching its lists when memory.grow fails, so every block stays intact.
    if (stats.cachedBytes > 0) {
      emptyCache();
      try { return takeBlock(k, capacity); } catch { /* the error below */ }
    }
    throw new RangeError(`${op}: out of WebAssembly memory: asked for ${size} bytes with ${stats.bytesInUse} in use (${wasmBytes()} bytes of linear memory could not grow; the limit is 4 GiB); free tensors (dispose, tidy) and retry`);
  }
}

function takeBlock(k: Kernels, capacity: number): number {
  const ptr = k.alloc(capacity) >>> 0; // past 2 GiB an i32 result reads negative: addresses are unsigned
  heldBytes += (capacity + 19) & ~15; // the whole TLSF block, header included
  if (ptr < heapStart) heapStart = ptr;
  return ptr;
}

function freeBlock(ptr: number, capacity: number): void {
  K().free(ptr);
  heldBytes -= (capacity + 19) & ~15;
}

// Whether TLSF's free bytes (memory above its heap start less every block held, less its 16-byte
// tail) leave room for the block with slack: its good-fit search rounds a request up by as much as
// 1/16, and free bytes can lie in holes. A guess only on the side of returning the cache early.
function tlsfWouldGrow(capacity: number): boolean {
  const free = wasmBytes() - (heapStart - 4) - heldBytes - 16;
  return free < 2 * (capacity + 4) + 65536;
}

export function retain(s: Storage): Storage { s.refs++; return s; }

/** The last release is where a block enters the cache (or goes back to TLSF past the cache's limits). */
export function release(s: Storage): void {
  if (--s.refs === 0) {
    const bytes = s.bytes;
    stats.bytesInUse -= bytes;
    const c = (bytes + 19) >>> 4;
    const capacity = capacityOf(c);
    if (bytes <= MAX_CACHED_BLOCK && stats.cachedBytes + capacity <= cacheLimit) {
      let list = c < SMALL_CLASSES ? small[c] : large.get(c);
      if (list === undefined) {
        list = [];
        if (c < SMALL_CLASSES) { small[c] = list; smallUsed.push(c); } else large.set(c, list);
      }
      list.push(s.ptr);
      stats.cachedBytes += capacity;
    } else {
      freeBlock(s.ptr, capacity);
    }
    s.ptr = -1;
  }
}

/** Returns every cached free block to WebAssembly's allocator, for tensors of any size to reuse. PyTorch: `torch.cuda.empty_cache`. */
export function emptyCache(): void {
  if (stats.cachedBytes === 0) return;
  for (let i = 0; i < smallUsed.length; i++) {
    const c = smallUsed[i], list = small[c]!;
    while (list.length > 0) freeBlock(list.pop()!, capacityOf(c));
  }
  for (const [c, list] of large) for (const ptr of list) freeBlock(ptr, capacityOf(c));
  large.clear();
  stats.cachedBytes = 0;
}

/** @internal The cache's byte limit (tests); returns the previous one. Lowering it does not free what is cached. */
export function setCacheLimit(bytes: number): number {
  const was = cacheLimit;
  cacheLimit = bytes;
  return was;
}

export function countTensor(delta: number): void { stats.liveTensors += delta; }

/**
 * Live tensors, bytes they hold (now and at peak), bytes of freed blocks cached for reuse and the
 * WebAssembly memory size. PyTorch: none (cf. `torch.cuda.memory_stats`, `memory_allocated`, `memory_reserved`).
 */
export function memoryStats(): { liveTensors: number; bytesInUse: number; peakBytes: number; cachedBytes: number; wasmBytes: number } {
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
  // through takeBlock, which counts them as held (never cached: no Storage owns them)
  scratch = { meta: takeBlock(k, 64 * 4 * 4), scalar: takeBlock(k, 16), packA: takeBlock(k, k.gemmPackABytes()), packB: takeBlock(k, k.gemmPackBBytes()) };
  return scratch;
}

/** Writes shape and stride rows (i32) into the metadata block and returns its address. */
export function writeMeta(rows: readonly (readonly number[])[]): number {
  const nd = rows[0].length;
  if (nd > MAX_DIMS) throw new RangeError(`tensors with more than ${MAX_DIMS} dims are not supported by the strided kernels (got ${nd})`);
  const v = metaInts();
  for (let r = 0; r < rows.length; r++) for (let d = 0; d < nd; d++) v[r * nd + d] = rows[r][d];
  return scratch!.meta;
}

// Typed-array views of the scratch blocks, made once and again only after memory.grow detached
// them (a detached view has length 0; views of a shared memory stay valid): a new view costs more
// than a small op's bookkeeping.
let metaView: Int32Array | null = null, scalarF: Float32Array | null = null, scalarI: Int32Array | null = null;
/** The metadata block (64 × 4 i32) as a view; scratch.meta is its address. */
export function metaInts(): Int32Array {
  if (metaView === null || metaView.length === 0) metaView = i32View(scratchBlocks().meta, 64 * 4);
  return metaView;
}
function scalarFloats(): Float32Array {
  if (scalarF === null || scalarF.length === 0) scalarF = f32View(scratchBlocks().scalar, 4);
  return scalarF;
}
/** The scalar slot as i32 words (int kernels read a number operand from it). */
export function scalarInts(): Int32Array {
  if (scalarI === null || scalarI.length === 0) scalarI = i32View(scratchBlocks().scalar, 4);
  return scalarI;
}

/** A float in the scalar slot, for number operands of binary ops (broadcast with stride 0). */
export function scalarSlot(value: number): number {
  scalarFloats()[0] = value;
  return scratch!.scalar;
}

// Each thread's packing buffers for the GEMM and metadata block (allocated when a kernel call first
// runs on it, never freed, like scratchBlocks): thread 0 is the calling thread, whose are scratchBlocks'.
const threadBlocks: { packA: number; packB: number; meta: number }[] = [];
export function threadScratch(thread: number): { packA: number; packB: number; meta: number } {
  if (thread === 0) return scratchBlocks();
  let p = threadBlocks[thread];
  if (p === undefined) {
    const k = K();
    p = threadBlocks[thread] = { packA: takeBlock(k, k.gemmPackABytes()), packB: takeBlock(k, k.gemmPackBBytes()), meta: takeBlock(k, 64 * 4 * 4) };
  }
  return p;
}

/** Writes i32 values at `ptr` (a thread's metadata block). */
export function writeInts(ptr: number, values: readonly number[]): void {
  const v = i32View(ptr, values.length);
  for (let i = 0; i < values.length; i++) v[i] = values[i];
}
