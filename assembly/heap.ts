// The one allocator owning linear memory: AssemblyScript's TLSF (runtime "minimal") gives
// 16-byte aligned blocks, reuses freed blocks and grows memory when needed. JS calls these two
// and nothing else allocates: kernels only read and write the pointers they are given.

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Bytes of linear memory now (grows, never shrinks). */
export function memoryBytes(): usize {
  return (<usize>memory.size()) << 16;
}
