// torch.save / torch.load in the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON header (an object; `__metadata__` maps
// strings to strings; every other key is a tensor { dtype, shape, data_offsets: [begin, end] }
// relative to the data region, which follows), then the raw little-endian row-major data, every
// byte of it covered by exactly one tensor.
//
// Loading trusts nothing: the header length, the JSON (parsed here, so duplicate keys are seen),
// every dtype, shape and offset, and every integer narrowed to int32 are checked against the
// byte length before any tensor is allocated; errors name the tensor and the values.
import { Tensor, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { f32View, i32View, MAX_DIMS } from '../runtime/storage.js';
import { dense } from '../ops/movement.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';

/** Options of `save`: `metadata`, free-form strings stored under the header's `__metadata__`. PyTorch: `safetensors.torch.save(..., metadata=)`. */
export interface SaveOptions {
  /** Strings stored in the file's `__metadata__` (e.g. `{ format: 'pt' }`). PyTorch: `metadata`. */
  metadata?: Record<string, string>;
}

/** The reference implementation's limit on the header (100 MB). */
const MAX_HEADER = 100_000_000;
const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;

// Each dtype wasmtorch reads: its element size and the tensor type it becomes (float32, int32, bool).
const READ: Record<string, { size: number; to: DType }> = {
  F32: { size: 4, to: 'float32' }, F64: { size: 8, to: 'float32' }, F16: { size: 2, to: 'float32' }, BF16: { size: 2, to: 'float32' },
  I32: { size: 4, to: 'int32' }, I64: { size: 8, to: 'int32' }, I16: { size: 2, to: 'int32' }, I8: { size: 1, to: 'int32' },
  U64: { size: 8, to: 'int32' }, U32: { size: 4, to: 'int32' }, U16: { size: 2, to: 'int32' }, U8: { size: 1, to: 'int32' },
  BOOL: { size: 1, to: 'bool' },
};
// The format's other dtypes: named in the error as known but not supported.
const UNSUPPORTED = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];
const WRITE: Record<string, { code: string; size: number }> = {
  float32: { code: 'F32', size: 4 }, int32: { code: 'I32', size: 4 }, bool: { code: 'BOOL', size: 1 },
};

/** A name or string from the file, quoted for a message: a hostile 100 MB name stays a short message. */
const quote = (s: string): string => (s.length > 64 ? `${JSON.stringify(s.slice(0, 64)).slice(0, -1)}…" (${s.length} characters)` : JSON.stringify(s));
/** A number as written in the file, shortened the same way. */
const shortNumber = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}… (${text.length} digits)` : text);

// ---- a strict JSON reader: keeps key order, sees duplicate keys, keeps numbers as written ------
class JsonNumber { constructor(readonly text: string) {} }
type Json = string | boolean | null | JsonNumber | Json[] | Map<string, Json>;

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

function parseJson(s: string, op: string): Json {
  let i = 0;
  const fail = (what: string): never => {
    const near = s.slice(i, i + 20);
    throw new Error(`${op}: the header is not valid JSON: ${what} at character ${i}${near ? ` (near ${JSON.stringify(near)})` : ''}`);
  };
  const ws = (): void => { while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++; };
  const str = (): string => {
    const start = ++i; // past the opening quote
    let out = '', from = start;
    for (;;) {
      if (i >= s.length) { i = start - 1; fail('unterminated string'); }
      const c = s.charCodeAt(i);
      if (c === 0x22) { out += s.slice(from, i); i++; return out; }
      if (c < 0x20) fail('control character in a string');
      if (c === 0x5c) {
        out += s.slice(from, i);
        const e = s[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        const hex = (at: number): number => (s[at] === '\\' && s[at + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(at + 2, at + 6)) ? parseInt(s.slice(at + 2, at + 6), 16) : -1);
        if (e in simple) { out += simple[e]; i += 2; } else if (hex(i) >= 0) {
          // a surrogate must come in a pair, as the reference reader (serde_json) insists
          const u = hex(i), low = u >= 0xd800 && u <= 0xdbff ? hex(i + 6) : -1;
          if (u >= 0xd800 && u <= 0xdfff && !(low >= 0xdc00 && low <= 0xdfff)) fail(`unpaired surrogate \\u${s.slice(i + 2, i + 6)}`);
          out += String.fromCharCode(u); i += 6;
          if (low >= 0) { out += String.fromCharCode(low); i += 6; }
        } else fail('invalid escape');
        from = i;
      } else i++;
    }
  };
  const value = (depth: number): Json => {
    if (depth > 64) fail('nesting deeper than 64 levels');
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const obj = new Map<string, Json>();
      ws();
      if (s[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('expected a key in double quotes');
        const at = i;
        const key = str();
        if (obj.has(key)) { i = at; fail(`duplicate key ${quote(key)}`); }
        ws();
        if (s[i] !== ':') fail("expected ':'");
        i++;
        obj.set(key, value(depth + 1));
        ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === '}') { i++; return obj; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (s[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ']') { i++; return arr; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    NUMBER.lastIndex = i; // sticky: the whole number however long (a 400-character window cut long ones)
    const m = NUMBER.exec(s);
    if (m) { i += m[0].length; return new JsonNumber(m[0]); }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (s.startsWith(word, i)) { i += word.length; return v; }
    }
    return fail(i >= s.length ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
  };
  const v = value(0);
  ws();
  if (i < s.length) fail('unexpected text after the header object');
  return v;
}

const jsonType = (v: Json): string => (v instanceof Map ? 'an object' : Array.isArray(v) ? 'an array' : v instanceof JsonNumber ? `the number ${shortNumber(v.text)}` : v === null ? 'null' : typeof v === 'string' ? `the string ${quote(v)}` : String(v));

// ---- the header, validated --------------------------------------------------------------------
interface Entry { name: string; dtype: string; size: number; to: DType; shape: number[]; numel: number; begin: number; end: number }

/** Whether a buffer was transferred away (ArrayBuffer.prototype.detached where the engine has it). */
function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  try { new Uint8Array(buffer); return false; } catch { return true; }
}

/** A Uint8Array over the caller's bytes (a Buffer's byteOffset respected), without copying. */
function asBytes(data: unknown, op: string): Uint8Array {
  const detached = (): never => {
    throw new TypeError(`${op}: the bytes' ArrayBuffer is detached (transferred with postMessage or structuredClone); keep a copy of the file's bytes before transferring them`);
  };
  if (ArrayBuffer.isView(data)) {
    if (data.byteLength === 0 && isDetached(data.buffer)) detached();
    return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    if (isDetached(data as ArrayBuffer)) detached();
    return new Uint8Array(data as ArrayBuffer);
  }
  if (typeof data === 'string') {
    throw new TypeError(`${op}: takes the file's bytes (Uint8Array, Buffer or ArrayBuffer), not a path or a string; read the file first, e.g. torch.load(fs.readFileSync(${quote(data)}))`);
  }
  throw new TypeError(`${op}: expected the file's bytes (Uint8Array, Buffer, ArrayBuffer or another ArrayBuffer view), got ${describeValue(data)}`);
}

/** A non-negative integer field of a tensor's entry. */
function index(v: Json, what: string, op: string): number {
  if (!(v instanceof JsonNumber)) throw new Error(`${op}: ${what} must be a non-negative integer, got ${jsonType(v)}`);
  if (/^-[1-9]/.test(v.text)) throw new RangeError(`${op}: ${what} is negative (${shortNumber(v.text)})`);
  if (!/^(0|[1-9]\d*)$/.test(v.text)) throw new Error(`${op}: ${what} must be a non-negative integer, got ${shortNumber(v.text)}`);
  const n = Number(v.text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${op}: ${what} is ${shortNumber(v.text)}, too large`);
  return n;
}

function readHeader(bytes: Uint8Array, op: string): { entries: Entry[]; metadata: Record<string, string> | null; dataStart: number } {
  const total = bytes.byteLength;
  if (total < 8) throw new Error(`${op}: the file is truncated: ${total} bytes, but a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, total);
  const n64 = view.getBigUint64(0, true);
  // A zip's local-file signature PK\x03\x04 read as a length is far past any file's end; a valid
  // file whose header is 0x4b50 (+ k·65536) bytes long also starts with "PK", so only then.
  if (n64 > BigInt(total - 8) && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) {
    throw new Error(`${op}: this is a zip archive (PyTorch's own torch.save format), not a safetensors file; convert it in Python with safetensors.torch.save_file(torch.load(path), "model.safetensors")`);
  }
  if (n64 > BigInt(total - 8)) throw new RangeError(`${op}: the header length ${n64} runs past the end of the file (${total} bytes leave at most ${total - 8} for the header)`);
  const n = Number(n64);
  if (n > MAX_HEADER) throw new RangeError(`${op}: the header length ${n} is over the format's limit of ${MAX_HEADER} bytes`);
  if (n < 2 || bytes[8] !== 0x7b) throw new Error(`${op}: the header must be a JSON object starting with '{' (header length ${n}${n > 0 ? `, first byte 0x${bytes[8].toString(16).padStart(2, '0')}` : ''})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new Error(`${op}: the header (${n} bytes) is not valid UTF-8`);
  }
  const header = parseJson(text, op);
  if (!(header instanceof Map)) throw new Error(`${op}: the header must be a JSON object, got ${jsonType(header)}`);
  const dataStart = 8 + n, dataLength = total - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of header) {
    if (name === '__metadata__') {
      if (info === null) continue; // the reference reader takes null as no metadata
      if (!(info instanceof Map)) throw new Error(`${op}: __metadata__ must be an object of strings, got ${jsonType(info)}`);
      metadata = {};
      for (const [k, v] of info) {
        if (typeof v !== 'string') throw new Error(`${op}: __metadata__ values must be strings, but ${quote(k)} is ${jsonType(v)}`);
        Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    const t = `tensor ${quote(name)}`;
    if (!(info instanceof Map)) throw new Error(`${op}: ${t} must be described by an object { dtype, shape, data_offsets }, got ${jsonType(info)}`);
    for (const key of ['dtype', 'shape', 'data_offsets']) if (!info.has(key)) throw new Error(`${op}: ${t} has no ${key}`);
    const dtype = info.get('dtype')!;
    if (typeof dtype !== 'string') throw new Error(`${op}: ${t}: dtype must be a string, got ${jsonType(dtype)}`);
    const kind = READ[dtype];
    if (!kind) {
      if (UNSUPPORTED.includes(dtype)) throw new TypeError(`${op}: ${t} has dtype ${dtype}, which wasmtorch does not read (it reads ${Object.keys(READ).join(', ')})`);
      throw new TypeError(`${op}: ${t} has unknown dtype ${quote(dtype)} (known: ${[...Object.keys(READ), ...UNSUPPORTED].join(', ')})`);
    }
    const shapeJ = info.get('shape')!;
    if (!Array.isArray(shapeJ)) throw new Error(`${op}: ${t}: shape must be an array, got ${jsonType(shapeJ)}`);
    if (shapeJ.length > MAX_DIMS) throw new RangeError(`${op}: ${t} has ${shapeJ.length} dims; wasmtorch tensors have at most ${MAX_DIMS}`);
    const shape = shapeJ.map((d, k) => index(d, `${t}: shape[${k}]`, op));
    for (const d of shape) if (d > INT32_MAX) throw new RangeError(`${op}: ${t}: shape ${fmt(shape)} has a dimension over ${INT32_MAX}`);
    const offJ = info.get('data_offsets')!;
    if (!Array.isArray(offJ) || offJ.length !== 2) throw new Error(`${op}: ${t}: data_offsets must be an array [begin, end], got ${jsonType(offJ)}${Array.isArray(offJ) ? ` of ${offJ.length}` : ''}`);
    const begin = index(offJ[0], `${t}: data_offsets[0]`, op), end = index(offJ[1], `${t}: data_offsets[1]`, op);
    if (begin > end) throw new RangeError(`${op}: ${t}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) throw new RangeError(`${op}: ${t}: data_offsets [${begin}, ${end}] run past the end of the data region (${dataLength} bytes)`);
    // the size in BigInt: a hostile shape cannot overflow it
    const bytesNeeded = shape.reduce((a, d) => a * BigInt(d), BigInt(kind.size));
    if (bytesNeeded !== BigInt(end - begin)) {
      throw new RangeError(`${op}: ${t}: shape ${fmt(shape)} of ${dtype} is ${bytesNeeded} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    const numel = (end - begin) / kind.size;
    entries.push({ name, dtype, size: kind.size, to: kind.to, shape, numel, begin, end });
  }
  // The tensors tile the data region: sorted by offset, each begins where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: Entry | null = null;
  for (const e of sorted) {
    if (e.begin < at) {
      throw new RangeError(`${op}: tensors ${quote(prev!.name)} (data_offsets [${prev!.begin}, ${prev!.end}]) and ${quote(e.name)} ([${e.begin}, ${e.end}]) overlap`);
    }
    if (e.begin > at) throw new RangeError(`${op}: bytes [${at}, ${e.begin}) of the data region belong to no tensor (before ${quote(e.name)}); the format allows no gaps`);
    at = e.end;
    prev = e;
  }
  if (at !== dataLength) throw new RangeError(`${op}: the data region has ${dataLength} bytes but the tensors cover ${at}; the format allows no trailing bytes`);
  // Integers narrowed to int32 must fit: checked here, before anything is allocated.
  for (const e of entries) {
    if (e.dtype !== 'I64' && e.dtype !== 'U64' && e.dtype !== 'U32') continue;
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
    for (let k = 0; k < e.numel; k++) {
      const v = e.dtype === 'I64' ? dv.getBigInt64(k * 8, true) : e.dtype === 'U64' ? dv.getBigUint64(k * 8, true) : BigInt(dv.getUint32(k * 4, true));
      if (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX)) {
        throw new RangeError(`${op}: tensor ${quote(e.name)} (${e.dtype}, shape ${fmt(e.shape)}) holds ${v} at flat index ${k}, outside int32 [${INT32_MIN}, ${INT32_MAX}]; wasmtorch's integer tensors are int32`);
      }
    }
  }
  return { entries, metadata, dataStart };
}

// IEEE half to float: exact (every half is a float).
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Fills the tensor from its bytes, converting to float32 / int32 / 0-1 bool. */
function fill(t: Tensor, e: Entry, bytes: Uint8Array, dataStart: number): void {
  const ptr = t.ptr('load');
  const src = bytes.subarray(dataStart + e.begin, dataStart + e.end);
  if (e.dtype === 'F32' || e.dtype === 'I32') {
    // WebAssembly memory is little-endian, like the file: a byte copy
    new Uint8Array(K().memory.buffer, ptr, src.byteLength).set(src);
    return;
  }
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const n = e.numel;
  if (e.to === 'float32') {
    const out = f32View(ptr, n);
    if (e.dtype === 'F64') for (let k = 0; k < n; k++) out[k] = dv.getFloat64(k * 8, true);
    else if (e.dtype === 'F16') for (let k = 0; k < n; k++) out[k] = halfToFloat(dv.getUint16(k * 2, true));
    else { const bits = i32View(ptr, n); for (let k = 0; k < n; k++) bits[k] = dv.getUint16(k * 2, true) << 16; } // BF16: the top half of a float
    return;
  }
  const out = i32View(ptr, n);
  switch (e.dtype) {
    case 'BOOL': for (let k = 0; k < n; k++) out[k] = src[k] !== 0 ? 1 : 0; break;
    case 'U8': for (let k = 0; k < n; k++) out[k] = src[k]; break;
    case 'I8': for (let k = 0; k < n; k++) out[k] = dv.getInt8(k); break;
    case 'I16': for (let k = 0; k < n; k++) out[k] = dv.getInt16(k * 2, true); break;
    case 'U16': for (let k = 0; k < n; k++) out[k] = dv.getUint16(k * 2, true); break;
    case 'U32': for (let k = 0; k < n; k++) out[k] = dv.getUint32(k * 4, true); break;
    // range-checked in readHeader
    case 'I64': for (let k = 0; k < n; k++) out[k] = Number(dv.getBigInt64(k * 8, true)); break;
    case 'U64': for (let k = 0; k < n; k++) out[k] = Number(dv.getBigUint64(k * 8, true)); break;
  }
}

/**
 * Tensors from safetensors bytes (a `Uint8Array`, a Node `Buffer` at any byte offset, or an
 * `ArrayBuffer`), by name in the file's order: F32, I32 and BOOL as float32, int32 and bool; F64,
 * F16 and BF16 as float32; I64, U64, U32, I16, U16, I8 and U8 as int32 (a value outside int32
 * throws). The whole file is checked before anything is allocated. Feed the result to
 * `module.loadStateDict(...)`. PyTorch: `safetensors.torch.load` (the role of `torch.load`).
 */
export function load(data: Uint8Array | ArrayBuffer | ArrayBufferView): Record<string, Tensor> {
  if (arguments.length > 1) {
    const extra = arguments[1] as unknown;
    const keys = extra !== null && typeof extra === 'object' ? ` (${Object.keys(extra).join(', ')})` : '';
    throw new TypeError(`load: takes the file's bytes only, got ${arguments.length} arguments${keys}; there is one device (no map_location) and safetensors holds tensors only (no weights_only)`);
  }
  const bytes = asBytes(data, 'load');
  const { entries, dataStart } = readHeader(bytes, 'load');
  const out: Record<string, Tensor> = {};
  const made: Tensor[] = [];
  try {
    for (const e of entries) {
      const t = Tensor.empty(e.shape, e.to, 'load');
      made.push(t);
      fill(t, e, bytes, dataStart);
      // defineProperty: a tensor named "__proto__" is an ordinary key
      Object.defineProperty(out, e.name, { value: t, enumerable: true, writable: true, configurable: true });
    }
  } catch (err) {
    for (const t of made) t.dispose(); // out of memory part way: nothing stays allocated
    throw err;
  }
  return out;
}

/** The `__metadata__` strings of safetensors bytes (`{}` when there are none); checks the whole header. PyTorch: none (safetensors' `safe_open(f, 'pt').metadata()`). */
export function loadMetadata(data: Uint8Array | ArrayBuffer | ArrayBufferView): Record<string, string> {
  return readHeader(asBytes(data, 'loadMetadata'), 'loadMetadata').metadata ?? {};
}

/**
 * The safetensors bytes of a state dict (`Record<string, Tensor>`, e.g. `module.stateDict()`):
 * float32 as F32, int32 as I32, bool as BOOL (one byte each); views and transposes are written in
 * row-major order; `metadata` strings go to `__metadata__`. Write the bytes to a file yourself.
 * PyTorch: `safetensors.torch.save` (the role of `torch.save`).
 */
export function save(tensors: Record<string, Tensor>, options?: SaveOptions): Uint8Array<ArrayBuffer> {
  const op = 'save';
  if (typeof options === 'string') {
    throw new TypeError(`save: returns the bytes rather than writing a file; write them yourself, e.g. fs.writeFileSync(${JSON.stringify(options)}, torch.save(stateDict))`);
  }
  const { metadata } = checkOptions(op, options, { metadata: 'object' });
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors) || (tensors as { isTensor?: unknown }).isTensor === true || tensors instanceof Map) {
    throw new TypeError(`save: expected a state dict, an object of named tensors such as module.stateDict(), got ${describeValue(tensors)}`);
  }
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`save: metadata values must be strings, but ${JSON.stringify(k)} is ${describeValue(v)}`);
  }
  // check everything before writing anything
  const items = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__') throw new TypeError("save: the name '__metadata__' is reserved for the file's metadata; pass { metadata } instead");
    if (t === null || typeof t !== 'object' || (t as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`save: the value of ${JSON.stringify(name)} is ${describeValue(t)}, not a Tensor`);
    t.ptr(`save (${JSON.stringify(name)})`); // a disposed tensor throws here
    const w = WRITE[t.dtype];
    if (!w) throw new TypeError(`save: tensor ${JSON.stringify(name)} has dtype ${t.dtype}; safetensors files here hold float32, int32 and bool`);
    return { name, t, ...w, bytes: t.numel() * w.size, begin: 0 };
  });
  // 4-byte dtypes first, so that after the 8-byte-aligned header every F32/I32 tensor is aligned
  let at = 0;
  for (const size of [4, 1]) for (const it of items) if (it.size === size) { it.begin = at; at += it.bytes; }
  const fields = items.map((it) => `${JSON.stringify(it.name)}:{"dtype":"${it.code}","shape":[${it.t.shape.join(',')}],"data_offsets":[${it.begin},${it.begin + it.bytes}]}`);
  if (metadata) fields.unshift(`"__metadata__":{${Object.entries(metadata).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  const header = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8; // padded with spaces, as the reference writer does
  const out = new Uint8Array(8 + padded + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded);
  const base = 8 + padded;
  for (const it of items) {
    const c = dense(it.t); // t itself, or a row-major copy that records nothing
    try {
      const n = it.t.numel();
      if (it.code === 'BOOL') {
        const v = i32View(c.ptr(op), n);
        for (let k = 0; k < n; k++) out[base + it.begin + k] = v[k] !== 0 ? 1 : 0;
      } else {
        out.set(new Uint8Array(K().memory.buffer, c.ptr(op), it.bytes), base + it.begin);
      }
    } finally {
      if (c !== it.t) c.dispose();
    }
  }
  return out;
}
