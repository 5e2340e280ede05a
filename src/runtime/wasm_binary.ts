// Edits of a kernel build's bytes, section by section (the WebAssembly binary format: an 8-byte
// header, then sections of an id byte and a LEB128 size). The shared-memory builds are the ones
// embedded and read beside the bundle; these two edits derive what else a runtime needs from them.

/** [id, start, payload start, end] of every section. */
function sections(b: Uint8Array): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let at = 8;
  while (at < b.length) {
    const [size, p] = leb(b, at + 1);
    out.push([b[at], at, p, p + size]);
    at = p + size;
  }
  return out;
}

/** An unsigned LEB128 at `at`: its value and the offset after it. */
function leb(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, x: number;
  do { x = b[at++]; v += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
  return [v, at];
}

/**
 * The module without its data segments (sections 11 and 12): the worker threads' copy. Their
 * instances must not write the static data again into the memory the first instance is using.
 */
export function withoutData(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, 8));
  let len = 8;
  for (const [id, start, , end] of sections(bytes)) {
    if (id === 11 || id === 12) continue;
    out.set(bytes.subarray(start, end), len);
    len += end - start;
  }
  return out.slice(0, len);
}

/**
 * A copy importing a memory that is not shared (the limits flag of the memory import 0x03 → 0x01),
 * for runtimes without SharedArrayBuffer; the kernels use no atomics, so nothing else changes.
 * The bytes unchanged when the module imports no shared memory.
 */
export function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  const imports = sections(bytes).find(([id]) => id === 2);
  if (!imports) return out;
  let [count, at] = leb(bytes, imports[2]);
  for (; count > 0; count--) {
    for (let name = 0; name < 2; name++) { const [n, p] = leb(bytes, at); at = p + n; } // module and field names
    const kind = bytes[at++];
    if (kind === 2) {
      if (bytes[at] === 0x03) out[at] = 0x01;
      return out;
    }
    if (kind === 0) at = leb(bytes, at)[1]; // a function's type index
    else if (kind === 1) { at++; at = bytes[at] & 1 ? leb(bytes, leb(bytes, at + 1)[1])[1] : leb(bytes, at + 1)[1]; } // reftype, limits
    else if (kind === 3) at += 2; // valtype, mutability
    else return out;
  }
  return out;
}
