// torch.load / torch.loadMetadata against hostile files (issue 11): fast-check builds valid
// safetensors files (the PyTorch-written fixtures, torch.save output and random valid files of
// every readable dtype), mutates them (bit flips, byte overwrites, truncation, extension, the
// header-length field, JSON header edits: offsets, dtypes, shapes, duplicate keys, __metadata__,
// invalid UTF-8, deep nesting) or makes random bytes, and checks every case:
// - a refusal is an Error whose message starts with the op's name ("load: ", "loadMetadata: "),
//   is short, and is not an engine error (typed-array RangeError, wasm trap, stack overflow);
//   torch.memory() and the WebAssembly memory size are unchanged after it;
// - a success returns exactly the tensors the header describes (checked here with JSON.parse and
//   an independent decoder of every dtype), whose byte spans tile the data region, and allocates
//   exactly max(4, numel·4) bytes per tensor and nothing more;
// - the same bytes inside a larger buffer with guard bytes (plain and shared) give the same result
//   (no read outside the input); loadMetadata agrees with load;
// - afterwards a sentinel tensor still holds its values and a small op gives the right value.
//
// Run: npm run fuzz [-- --cases N --seed S]. tests/fuzz.test.ts runs a smaller seeded sample.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import { f32View, i32View } from '../src/runtime/storage.js';

// ---- JSON with duplicate keys, kept order and numbers as written ----------------------------------
/** JSON text emitted as written (numbers such as 1e400 or -0, or anything malformed). */
export class Raw { constructor(readonly text: string) {} }
/** A JSON object as a list of pairs: duplicate keys and order survive. */
export class Obj { constructor(public pairs: [string, Jv][]) {} }
export type Jv = Raw | Obj | string | number | boolean | null | Jv[];

function emit(v: Jv, pretty: boolean): string {
  const sep = pretty ? ', ' : ',', colon = pretty ? ': ' : ':';
  if (v instanceof Raw) return v.text;
  if (v instanceof Obj) return `{${v.pairs.map(([k, x]) => `${JSON.stringify(k)}${colon}${emit(x, pretty)}`).join(sep)}}`;
  if (Array.isArray(v)) return `[${v.map((x) => emit(x, pretty)).join(sep)}]`;
  return JSON.stringify(v);
}

function toJv(v: unknown): Jv {
  if (Array.isArray(v)) return v.map(toJv);
  if (v !== null && typeof v === 'object') return new Obj(Object.entries(v).map(([k, x]) => [k, toJv(x)]));
  return v as Jv;
}

const clone = (v: Jv): Jv => (v instanceof Obj ? new Obj(v.pairs.map(([k, x]) => [k, clone(x)])) : Array.isArray(v) ? v.map(clone) : v);

// ---- valid files ---------------------------------------------------------------------------------
/** A safetensors file before serialization: header pairs, the data region, trailing spaces. */
export interface Base { pairs: [string, Jv][]; data: Uint8Array; pad: number; pretty: boolean }

const SIZE: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };
const DTYPES = Object.keys(SIZE);
const enc = new TextEncoder();

/** The header pairs and data of a valid file's bytes. */
export function parseValid(bytes: Uint8Array): Base {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return { pairs: (toJv(header) as Obj).pairs, data: bytes.slice(8 + n), pad: 0, pretty: false };
}

const INT32_MAX = 2 ** 31 - 1, INT32_MIN = -(2 ** 31);

/** Element bytes of a dtype: raw random bytes, and for I64/U64/U32 mostly values inside int32. */
function dataArb(dtype: string, numel: number): fc.Arbitrary<Uint8Array> {
  const size = SIZE[dtype];
  const raw = fc.uint8Array({ minLength: numel * size, maxLength: numel * size });
  if (dtype !== 'I64' && dtype !== 'U64' && dtype !== 'U32') return raw;
  const lo = dtype === 'I64' ? INT32_MIN : 0;
  const ints = fc.array(fc.integer({ min: lo, max: INT32_MAX }), { minLength: numel, maxLength: numel }).map((vs) => {
    const out = new Uint8Array(numel * size), dv = new DataView(out.buffer);
    vs.forEach((v, k) => (size === 8 ? dv.setBigInt64(k * 8, BigInt(v), true) : dv.setUint32(k * 4, v, true)));
    return out;
  });
  return fc.oneof({ arbitrary: ints, weight: 4 }, { arbitrary: raw, weight: 1 });
}

const nameArb = fc.oneof(
  fc.constantFrom('weight', 'bias', '0.weight', 'layers.1.bias', '__proto__', 'constructor', 'toString', '0', '7', '', 'ünï ✓'),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
).filter((s) => s !== '__metadata__');

const tensorArb = fc.record({
  dtype: fc.constantFrom(...DTYPES),
  shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
}).chain(({ dtype, shape }) => dataArb(dtype, shape.reduce((a, b) => a * b, 1)).map((data) => ({ dtype, shape, data })));

const metaArb = fc.uniqueArray(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 16 })), { selector: (p) => p[0], maxLength: 3 });

/** A random valid file: 0–5 tensors of any readable dtype, laid out in any order, optional metadata. */
export const validArb: fc.Arbitrary<Base> = fc.record({
  tensors: fc.uniqueArray(fc.record({ name: nameArb, t: tensorArb, key: fc.nat() }), { selector: (r) => r.name, maxLength: 5 }),
  meta: fc.option(metaArb, { nil: undefined }),
  metaAt: fc.nat(),
  pad: fc.integer({ min: 0, max: 9 }),
  pretty: fc.boolean(),
}).map(({ tensors, meta, metaAt, pad, pretty }) => {
  // data laid out in the order of the random keys, header in generation order
  const order = tensors.map((_, i) => i).sort((a, b) => tensors[a].key - tensors[b].key || a - b);
  const begins = new Array<number>(tensors.length);
  let at = 0;
  for (const i of order) { begins[i] = at; at += tensors[i].t.data.length; }
  const data = new Uint8Array(at);
  const pairs: [string, Jv][] = tensors.map((r, i) => {
    data.set(r.t.data, begins[i]);
    return [r.name, new Obj([['dtype', r.t.dtype], ['shape', r.t.shape], ['data_offsets', [begins[i], begins[i] + r.t.data.length]]])];
  });
  if (meta) pairs.splice(metaAt % (pairs.length + 1), 0, ['__metadata__', new Obj(meta)]);
  return { pairs, data, pad, pretty };
});

// ---- mutations -----------------------------------------------------------------------------------
const NUMBERS = ['-1', '-4', '-0', '0', '1', '3', '4', '8', '1.5', '4.0', '1e2', '1E400', '-1e400', '2147483647', '2147483648',
  '4294967295', '4294967296', '9007199254740991', '9007199254740993', '18446744073709551615', '18446744073709551616',
  '123456789012345678901234567890', '9'.repeat(500), '0x10', '+4', '01', 'null', 'true', '"4"', '[]', '{}', '[4]', 'NaN', 'Infinity', '-'];
const numberArb = fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -10, max: 100 }).map(String), fc.double().map(String));

/** An offset: a literal, or relative to the data length, another tensor or itself (resolved when applied). */
interface OffsetSpec { rel: 'text' | 'dataLen' | 'otherBegin' | 'otherEnd' | 'self'; text: string; d: number; other: number }
const offsetArb: fc.Arbitrary<OffsetSpec> = fc.oneof(
  numberArb.map((text): OffsetSpec => ({ rel: 'text', text, d: 0, other: 0 })),
  fc.record({ rel: fc.constantFrom('dataLen' as const, 'otherBegin' as const, 'otherEnd' as const, 'self' as const), text: fc.constant<string>(''), d: fc.integer({ min: -9, max: 9 }), other: fc.nat() }),
);

const DTYPE_NAMES = [...DTYPES, 'F8_E4M3', 'F8_E5M2', 'C64', 'F4', 'f32', 'F32 ', ' F32', 'F128', 'I128', 'bool', 'Bool', 'U1', '', 'F32\u0000', 'STR'];
const dtypeArb = fc.oneof(
  fc.constantFrom(...DTYPE_NAMES).map((s): Jv => s),
  fc.string({ maxLength: 6 }).map((s): Jv => s),
  fc.constantFrom('4', 'null', '["F32"]', '{}', 'true').map((t): Jv => new Raw(t)),
);

const shapeArb: fc.Arbitrary<Jv> = fc.oneof(
  fc.constantFrom<number[]>([65536, 65536], [2147483647, 2147483647, 2147483647, 4], [2 ** 31], [2 ** 32], [2 ** 53], [0, 2 ** 31], [0, 2147483647, 2147483647],
    new Array(17).fill(1), new Array(5000).fill(1), [4294967296, 0], [3, -3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  fc.array(numberArb.map((t) => new Raw(t)), { maxLength: 5 }),
  fc.constantFrom('4', 'null', '"[4]"', '{}', '[[4]]', '[4,]', '[,4]').map((t) => new Raw(t)),
);

const SPECIALS = ['1', 'null', '[]', '"F32"', '{}', '[1,2]', 'true', '"x"', '{"a":1}', '{"a":null}', '{"a":{}}', '{"a":["x"]}', '{"a":"b","a":"c"}', '{"__proto__":"x"}', '{"dtype":"F32","shape":[],"data_offsets":[0,4]}'];
const specialArb = fc.constantFrom(...SPECIALS).map((t) => new Raw(t));
const nestArb = fc.record({ depth: fc.integer({ min: 1, max: 300 }), open: fc.constantFrom('[', '{"a":') })
  .map(({ depth, open }) => new Raw(open.repeat(depth) + '0' + (open === '[' ? ']' : '}').repeat(depth)));
const valueArb: fc.Arbitrary<Jv> = fc.oneof(specialArb, nestArb, numberArb.map((t) => new Raw(t)));

const WHOLE = ['', '[]', '[1,2]', '"x"', '123', 'null', 'true', '{', '}', '{}}', '{"a":}', '{,}', '{"a" 1}', ' {}', '\ufeff{}', '{}\u0000',
  '{"a":1,}', "{'a':1}", '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\\ud800"}', '{"a":"\\udc00\\ud800"}', '{"a":"\u0001"}', '{"a":"x\ny"}',
  '{"\\ud83d\\ude00":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}', '{"__metadata__":{}}', '{"__metadata__":null}', '{} {}', '{}[]', '{"a":tru}', '{"a":nul}'];

type HeaderEdit =
  | { k: 'offset'; target: number; slot: number; o: OffsetSpec }
  | { k: 'offsetsArity'; target: number; n: number }
  | { k: 'swapOffsets'; target: number }
  | { k: 'move'; target: number; other: number; d: number }
  | { k: 'alias'; target: number; name: string; d: number }
  | { k: 'dtype'; target: number; v: Jv }
  | { k: 'shape'; target: number; v: Jv }
  | { k: 'dim'; target: number; slot: number; d: number }
  | { k: 'dupKey'; target: number; field: boolean; same: boolean }
  | { k: 'meta'; v: Jv }
  | { k: 'metaValue'; v: Jv }
  | { k: 'drop'; target: number; what: 'dtype' | 'shape' | 'data_offsets' | 'tensor' }
  | { k: 'extra'; target: number; key: string; v: Jv }
  | { k: 'rename'; target: number; name: string }
  | { k: 'entry'; target: number; v: Jv }
  | { k: 'nest'; target: number; where: 'shape' | 'dtype' | 'data_offsets' | 'top'; v: Jv }
  | { k: 'add'; name: string; dtype: string; shape: number[]; begin: number; end: number }
  | { k: 'whole'; text: string }
  | { k: 'data'; d: number }
  | { k: 'utf8'; pos: number; seq: readonly number[] }
  | { k: 'padTo'; len: number };

const target = fc.nat();
export const headerEditArb: fc.Arbitrary<HeaderEdit> = fc.oneof(
  fc.record({ k: fc.constant('offset' as const), target, slot: fc.integer({ min: 0, max: 1 }), o: offsetArb }),
  fc.record({ k: fc.constant('offsetsArity' as const), target, n: fc.constantFrom(0, 1, 3) }),
  fc.record({ k: fc.constant('swapOffsets' as const), target }),
  fc.record({ k: fc.constant('move' as const), target, other: fc.nat(), d: fc.integer({ min: -8, max: 8 }) }),
  fc.record({ k: fc.constant('alias' as const), target, name: nameArb, d: fc.oneof(fc.constant(0), fc.integer({ min: -4, max: 4 })) }),
  fc.record({ k: fc.constant('dtype' as const), target, v: dtypeArb }),
  fc.record({ k: fc.constant('shape' as const), target, v: shapeArb }),
  fc.record({ k: fc.constant('dim' as const), target, slot: fc.nat(), d: fc.constantFrom(-1, 1, 2, -2, 1000) }),
  fc.record({ k: fc.constant('dupKey' as const), target, field: fc.boolean(), same: fc.boolean() }),
  fc.record({ k: fc.constant('meta' as const), v: valueArb }),
  fc.record({ k: fc.constant('metaValue' as const), v: valueArb }),
  fc.record({ k: fc.constant('drop' as const), target, what: fc.constantFrom('dtype' as const, 'shape' as const, 'data_offsets' as const, 'tensor' as const) }),
  fc.record({ k: fc.constant('extra' as const), target, key: fc.oneof(fc.constantFrom('dtype ', 'offsets', '__proto__', 'x'), fc.string({ maxLength: 4 })), v: valueArb }),
  fc.record({ k: fc.constant('rename' as const), target, name: fc.oneof(fc.constantFrom('__metadata__', '', 'x'.repeat(5000), '__proto__'), fc.string({ unit: 'binary', maxLength: 6 })) }),
  fc.record({ k: fc.constant('entry' as const), target, v: specialArb }),
  fc.record({ k: fc.constant('nest' as const), target, where: fc.constantFrom('shape' as const, 'dtype' as const, 'data_offsets' as const, 'top' as const), v: nestArb }),
  fc.record({ k: fc.constant('add' as const), name: nameArb, dtype: fc.constantFrom(...DTYPES), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), begin: fc.integer({ min: -2, max: 64 }), end: fc.integer({ min: -2, max: 64 }) }),
  fc.record({ k: fc.constant('whole' as const), text: fc.oneof({ arbitrary: fc.constantFrom(...WHOLE), weight: 3 }, { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 }) }),
  fc.record({ k: fc.constant('data' as const), d: fc.integer({ min: -16, max: 16 }) }),
  // header lengths whose first bytes look like something else: "PK" (a zip's signature), "{", spaces
  fc.record({ k: fc.constant('padTo' as const), len: fc.constantFrom(0x4b50, 0x7b, 0x7b7b, 0x2020, 0x0a0a) }),
  fc.record({ k: fc.constant('utf8' as const), pos: fc.nat(), seq: fc.constantFrom([0xff], [0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xef, 0xbb, 0xbf]) }),
);

type ByteEdit =
  | { k: 'flip'; pos: number; bit: number }
  | { k: 'set'; pos: number; v: number }
  | { k: 'truncate'; len: number }
  | { k: 'extend'; extra: Uint8Array }
  | { k: 'insert'; pos: number; extra: Uint8Array }
  | { k: 'delete'; pos: number; n: number }
  | { k: 'length'; mode: 'abs' | 'rel' | 'total'; v: bigint };

const interestingByte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...[0, 0xff, 0x7f, 0x80, ...'{}[]",:-.0123456789e '].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)))));
export const byteEditArb: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant('set' as const), pos: fc.nat(), v: interestingByte }),
  fc.record({ k: fc.constant('truncate' as const), len: fc.nat() }),
  fc.record({ k: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ k: fc.constant('insert' as const), pos: fc.nat(), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ k: fc.constant('delete' as const), pos: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    k: fc.constant('length' as const), mode: fc.constantFrom('abs' as const, 'rel' as const, 'total' as const),
    v: fc.oneof(fc.constantFrom(0n, 1n, 2n, 7n, 8n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 100_000_001n, 100_000_000n), fc.bigInt({ min: -9n, max: 9n })),
  }),
);

function le64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
  return b;
}

/** The tensor entries' indices in the header (everything but __metadata__). */
const tensorIndices = (pairs: [string, Jv][]): number[] => pairs.flatMap(([k], i) => (k === '__metadata__' ? [] : [i]));

function entryOf(pairs: [string, Jv][], t: number): Obj | null {
  const idx = tensorIndices(pairs);
  if (idx.length === 0) return null;
  const v = pairs[idx[t % idx.length]][1];
  return v instanceof Obj ? v : null;
}
function setField(o: Obj, key: string, v: Jv): void {
  const p = o.pairs.find(([k]) => k === key);
  if (p) p[1] = v; else o.pairs.push([key, v]);
}
function offsetsOf(o: Obj | null): [number, number] | null {
  const v = o?.pairs.find(([k]) => k === 'data_offsets')?.[1];
  return Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number' ? [v[0], v[1]] : null;
}

/** Serializes a base after header edits; utf8 edits splice raw bytes into the header text. */
export function build(base: Base, edits: HeaderEdit[]): Uint8Array {
  const pairs = base.pairs.map(([k, v]): [string, Jv] => [k, clone(v)]);
  let data = base.data;
  let whole: string | null = null, padTo = 0;
  const inserts: { pos: number; seq: readonly number[] }[] = [];
  for (const e of edits) {
    const entry = 'target' in e ? entryOf(pairs, e.target) : null;
    switch (e.k) {
      case 'offset': {
        if (!entry) break;
        const cur = offsetsOf(entry) ?? [0, 0];
        const others = tensorIndices(pairs).map((i) => offsetsOf(pairs[i][1] instanceof Obj ? pairs[i][1] as Obj : null)).filter((x): x is [number, number] => x !== null);
        const other = others.length ? others[e.o.other % others.length] : [0, 0];
        const v: Jv = e.o.rel === 'text' ? new Raw(e.o.text)
          : (e.o.rel === 'dataLen' ? data.length : e.o.rel === 'otherBegin' ? other[0] : e.o.rel === 'otherEnd' ? other[1] : cur[e.slot]) + e.o.d;
        const arr: Jv[] = [cur[0], cur[1]];
        arr[e.slot] = v;
        setField(entry, 'data_offsets', arr);
        break;
      }
      case 'offsetsArity': if (entry) { const c = offsetsOf(entry) ?? [0, 0]; setField(entry, 'data_offsets', [c[0], c[1], c[1]].slice(0, e.n)); } break;
      case 'move': {
        // the same span length (so shape and span still agree) moved near another tensor: overlaps and gaps
        const cur = offsetsOf(entry), idx = tensorIndices(pairs);
        const o = idx.length ? pairs[idx[e.other % idx.length]][1] : null, to = o instanceof Obj ? offsetsOf(o) : null;
        if (entry && cur && to) setField(entry, 'data_offsets', [to[0] + e.d, to[0] + e.d + cur[1] - cur[0]]);
        break;
      }
      case 'alias': {
        // a second entry over (nearly) the same bytes: every byte still covered, but twice
        const cur = offsetsOf(entry);
        if (entry && cur) pairs.push([e.name, new Obj(entry.pairs.map(([k, v]): [string, Jv] => [k, k === 'data_offsets' ? [cur[0] + e.d, cur[1] + e.d] : clone(v)]))]);
        break;
      }
      case 'swapOffsets': if (entry) { const c = offsetsOf(entry); if (c) setField(entry, 'data_offsets', [c[1], c[0]]); } break;
      case 'dtype': if (entry) setField(entry, 'dtype', e.v); break;
      case 'shape': if (entry) setField(entry, 'shape', e.v); break;
      case 'dim': {
        const s = entry?.pairs.find(([k]) => k === 'shape')?.[1];
        if (Array.isArray(s) && s.length && typeof s[e.slot % s.length] === 'number') s[e.slot % s.length] = (s[e.slot % s.length] as number) + e.d;
        break;
      }
      case 'dupKey': {
        const idx = tensorIndices(pairs);
        if (e.field && entry && entry.pairs.length) {
          const [k, v] = entry.pairs[e.target % entry.pairs.length];
          entry.pairs.push([k, e.same ? clone(v) : new Raw('"F32"')]);
        } else if (idx.length) {
          const [k, v] = pairs[idx[e.target % idx.length]];
          pairs.splice(e.target % (pairs.length + 1), 0, [k, e.same ? clone(v) : new Raw('{"dtype":"F32","shape":[0],"data_offsets":[0,0]}')]);
        } else pairs.push(['__metadata__', new Obj([])], ['__metadata__', new Obj([])]);
        break;
      }
      case 'meta': {
        const p = pairs.find(([k]) => k === '__metadata__');
        if (p) p[1] = e.v; else pairs.unshift(['__metadata__', e.v]);
        break;
      }
      case 'metaValue': {
        const p = pairs.find(([k]) => k === '__metadata__');
        if (p && p[1] instanceof Obj) p[1].pairs.push(['key', e.v]); else pairs.unshift(['__metadata__', new Obj([['key', e.v]])]);
        break;
      }
      case 'drop': {
        if (e.what === 'tensor') { const idx = tensorIndices(pairs); if (idx.length) pairs.splice(idx[e.target % idx.length], 1); } else if (entry) entry.pairs = entry.pairs.filter(([k]) => k !== e.what);
        break;
      }
      case 'extra': if (entry) entry.pairs.push([e.key, e.v]); else pairs.push([e.key, e.v]); break;
      case 'rename': { const idx = tensorIndices(pairs); if (idx.length) pairs[idx[e.target % idx.length]][0] = e.name; break; }
      case 'entry': { const idx = tensorIndices(pairs); if (idx.length) pairs[idx[e.target % idx.length]][1] = e.v; break; }
      case 'nest': if (e.where === 'top' || !entry) pairs.push(['nested', e.v]); else setField(entry, e.where, e.v); break;
      case 'add': pairs.push([e.name, new Obj([['dtype', e.dtype], ['shape', e.shape], ['data_offsets', [e.begin, e.end]]])]); break;
      case 'whole': whole = e.text; break;
      case 'data': {
        const next = new Uint8Array(Math.max(0, data.length + e.d));
        next.set(data.subarray(0, next.length));
        data = next;
        break;
      }
      case 'utf8': inserts.push({ pos: e.pos, seq: e.seq }); break;
      case 'padTo': padTo = e.len; break;
    }
  }
  const text = (whole ?? emit(new Obj(pairs), base.pretty)) + ' '.repeat(base.pad);
  let header = enc.encode(text + ' '.repeat(Math.max(0, padTo - enc.encode(text).length)));
  for (const { pos, seq } of inserts) {
    const p = header.length ? pos % header.length : 0;
    const next = new Uint8Array(header.length + seq.length);
    next.set(header.subarray(0, p)); next.set(seq, p); next.set(header.subarray(p), p + seq.length);
    header = next;
  }
  const out = new Uint8Array(8 + header.length + data.length);
  out.set(le64(BigInt(header.length)));
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** Applies byte-level edits in order (positions taken modulo the current length). */
export function mutate(bytes: Uint8Array, edits: ByteEdit[]): Uint8Array {
  let b = bytes;
  for (const e of edits) {
    switch (e.k) {
      case 'flip': if (b.length) { b = b.slice(); b[e.pos % b.length] ^= 1 << e.bit; } break;
      case 'set': if (b.length) { b = b.slice(); b[e.pos % b.length] = e.v; } break;
      case 'truncate': b = b.slice(0, e.len % (b.length + 1)); break;
      case 'extend': { const n = new Uint8Array(b.length + e.extra.length); n.set(b); n.set(e.extra, b.length); b = n; break; }
      case 'insert': {
        const p = e.pos % (b.length + 1), n = new Uint8Array(b.length + e.extra.length);
        n.set(b.subarray(0, p)); n.set(e.extra, p); n.set(b.subarray(p), p + e.extra.length); b = n;
        break;
      }
      case 'delete': { const p = e.pos % (b.length + 1); b = new Uint8Array([...b.subarray(0, p), ...b.subarray(p + e.n)]); break; }
      case 'length': {
        if (b.length < 8) break;
        const cur = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
        const v = e.mode === 'abs' ? e.v : e.mode === 'rel' ? cur + e.v : BigInt(b.length) - 8n + e.v;
        b = b.slice(); b.set(le64(v));
        break;
      }
    }
  }
  return b;
}

// ---- the cases -----------------------------------------------------------------------------------
const fixtures = fileURLToPath(new URL('../tests/fixtures/', import.meta.url));

/** The seed corpus: PyTorch-written fixtures and torch.save output (made once, after init). */
function corpus(): Base[] {
  const files = [readFileSync(`${fixtures}io_mlp.safetensors`), readFileSync(`${fixtures}io_dtypes.safetensors`)].map((b) => new Uint8Array(b));
  torch.tidy(() => {
    files.push(torch.save({ w: torch.tensor([[1.5, -2], [Number.NaN, 0]]), b: torch.tensor(Int32Array.from([7, -1])), s: torch.tensor(3).reshape([]), e: torch.zeros(0, 2) }, { metadata: { format: 'pt' } }));
    files.push(torch.save({}));
  });
  return files.map(parseValid);
}

export interface Case { kind: string; bytes: Uint8Array }

export function caseArb(bases: Base[]): fc.Arbitrary<Case> {
  const baseArb = fc.oneof({ arbitrary: fc.constantFrom(...bases), weight: 1 }, { arbitrary: validArb, weight: 3 });
  const some = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: 1, maxLength: 3 });
  // header edits reach the deeper checks, byte edits mostly break the framing: weighted accordingly
  const edits = fc.oneof(
    { arbitrary: fc.record({ header: some(headerEditArb), bytes: fc.constant<ByteEdit[]>([]) }), weight: 6 },
    { arbitrary: fc.record({ header: fc.constant<HeaderEdit[]>([]), bytes: some(byteEditArb) }), weight: 3 },
    { arbitrary: fc.record({ header: some(headerEditArb), bytes: some(byteEditArb) }), weight: 1 },
    { arbitrary: fc.record({ header: fc.constant<HeaderEdit[]>([]), bytes: fc.constant<ByteEdit[]>([]) }), weight: 1 },
  );
  const mutated = fc.tuple(baseArb, edits).map(([base, e]) => ({ base, ...e }))
    .map(({ base, header, bytes }) => ({ kind: header.length + bytes.length === 0 ? 'valid' : bytes.length === 0 ? 'header edits' : header.length === 0 ? 'byte edits' : 'header and byte edits', bytes: mutate(build(base, header), bytes) }));
  const random = fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'random bytes', bytes }));
  // a length within the file, then random bytes, random text, or random text after '{'
  const body = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }).map((s) => enc.encode(s)), fc.string({ maxLength: 100 }).map((s) => enc.encode(`{${s}`)));
  const prefixed = fc.tuple(fc.nat(), body)
    .map(([n, body]) => {
      const out = new Uint8Array(8 + body.length);
      out.set(le64(BigInt(n % (body.length + 1))));
      out.set(body, 8);
      return { kind: 'random header', bytes: out };
    });
  return fc.oneof(
    { arbitrary: mutated, weight: 12 },
    { arbitrary: random, weight: 1 },
    { arbitrary: prefixed, weight: 2 },
  );
}

// ---- the checks ----------------------------------------------------------------------------------
type Outcome = { ok: false; name: string; message: string } | { ok: true; keys: string[]; sig: string[] };

/** The float32 bits of an IEEE half, built from its fields (independent of the loader's decoder). */
function halfBits(h: number): number {
  const s = (h & 0x8000) << 16;
  let e = (h >> 10) & 31, m = h & 0x3ff;
  if (e === 31) return s | 0x7f800000 | (m << 13);
  if (e === 0) {
    if (m === 0) return s;
    e = 1;
    while (!(m & 0x400)) { m <<= 1; e--; }
    m &= 0x3ff;
  }
  return s | ((e + 112) << 23) | (m << 13);
}

/** What the tensor must hold: int32 bits (exact) or float values (compared with Object.is); null if a value is outside int32. */
function reference(dtype: string, src: Uint8Array): { bits?: Int32Array; values?: Float32Array } | null {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const n = src.byteLength / SIZE[dtype];
  const bits = new Int32Array(n), f = new Float32Array(bits.buffer);
  for (let k = 0; k < n; k++) {
    switch (dtype) {
      case 'F32': case 'I32': bits[k] = dv.getInt32(k * 4, true); break;
      case 'BF16': bits[k] = dv.getUint16(k * 2, true) << 16; break;
      case 'F64': f[k] = dv.getFloat64(k * 8, true); break;
      case 'F16': bits[k] = halfBits(dv.getUint16(k * 2, true)); break;
      case 'BOOL': bits[k] = src[k] ? 1 : 0; break;
      case 'U8': bits[k] = src[k]; break;
      case 'I8': bits[k] = dv.getInt8(k); break;
      case 'I16': bits[k] = dv.getInt16(k * 2, true); break;
      case 'U16': bits[k] = dv.getUint16(k * 2, true); break;
      case 'U32': case 'I64': case 'U64': {
        const v = dtype === 'U32' ? BigInt(dv.getUint32(k * 4, true)) : dtype === 'I64' ? dv.getBigInt64(k * 8, true) : dv.getBigUint64(k * 8, true);
        if (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX)) return null;
        bits[k] = Number(v);
        break;
      }
    }
  }
  return dtype === 'F64' || dtype === 'F16' ? { values: f } : { bits };
}

const ENGINE = /out of bounds|Invalid typed array|Offset is outside|Start offset|Maximum call stack|is not a function|Cannot read prop|Cannot convert|is not iterable|\[object |\bundefined\b|\bNaN\b/;
/** A message without the quoted parts (names and text from the file), for the ENGINE test. */
const unquoted = (m: string): string => m.replace(/"(?:[^"\\]|\\.)*"/g, '""');

class Violation extends Error {}
function must(cond: unknown, what: () => string): asserts cond { if (!cond) throw new Violation(what()); }

/** The same bytes at byteOffset `at` inside a larger buffer filled with `guard` (shared or not). */
function placed(bytes: Uint8Array, at: number, guard: number, shared: boolean): Uint8Array {
  const size = at + bytes.length + 64;
  const buf = shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
  const all = new Uint8Array(buf);
  all.fill(guard);
  all.set(bytes, at);
  return all.subarray(at, at + bytes.length);
}

/** The functions under test: torch's, or a variant (a mutation run breaks one rule in a copy). */
export interface LoadApi { load: typeof torch.load; loadMetadata: typeof torch.loadMetadata }
let api: LoadApi = torch;

/** Whether valid JSON text repeats a key within one object (JSON.parse keeps the last silently). */
function hasDuplicateKey(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const str = JSON.parse(text.slice(i, j + 1)) as string;
      let k = j + 1;
      while (' \t\n\r'.includes(text[k])) k++;
      const top = stack[stack.length - 1];
      if (text[k] === ':' && top) { if (top.has(str)) return true; top.add(str); }
      i = j;
    }
  }
  return false;
}
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A value nested deeper than 64 levels, or a string or key with an unpaired surrogate. */
function deepOrLone(v: unknown, d: number): boolean {
  if (d > 64) return true;
  if (typeof v === 'string') return LONE.test(v);
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(([k, c]) => LONE.test(k) || deepOrLone(c, d + 1));
}

/**
 * The framing and JSON rules (safetensors' own: 8-byte length, header within the file and ≤ 100 MB,
 * starting with '{', UTF-8, JSON without duplicate keys; wasmtorch's: nesting ≤ 64, paired
 * surrogates) worked out here without the loader: the pattern its refusal must match, or null
 * when the framing and JSON are fine (any refusal is then about the tensors).
 */
function framingReason(b: Uint8Array): RegExp | null {
  if (b.length < 8) return /^load: the file is truncated: \d+ bytes/;
  const n = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(b.length - 8)) return b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4 ? /^load: this is a zip archive/ : /^load: the header length \d+ runs past the end of the file/;
  if (n > 100_000_000n) return /^load: the header length \d+ is over the format's limit/;
  if (n < 2n || b[8] !== 0x7b) return /^load: the header must be a JSON object starting with '\{'/;
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(8, 8 + Number(n))); } catch { return /^load: the header \(\d+ bytes\) is not valid UTF-8$/; }
  let value: unknown;
  try { value = JSON.parse(text); } catch { return /^load: the header is not valid JSON: /; }
  if (hasDuplicateKey(text) || deepOrLone(value, 0)) return /^load: the header is not valid JSON: (duplicate key|nesting deeper than 64 levels|unpaired surrogate)/;
  return null;
}
const FRAMING = /^load: (the file is truncated|this is a zip archive|the header length|the header must be a JSON object starting|the header \(\d+ bytes\) is not valid UTF-8|the header is not valid JSON)/;

const memKey = (): string => { const m = torch.memory(); return `${m.liveTensors}/${m.bytesInUse}`; };

/** One call of load on `input`, or on `as` (the same bytes as an ArrayBuffer or DataView): every invariant of a single outcome. */
function loadOnce(input: Uint8Array, as: ArrayBuffer | ArrayBufferView = input): Outcome {
  const before = torch.memory();
  let out: Record<string, Tensor>;
  try {
    out = api.load(as);
  } catch (e) {
    must(e instanceof Error, () => `load threw a non-Error: ${String(e)}`);
    must(!(e instanceof WebAssembly.RuntimeError), () => `load trapped in WebAssembly: ${e.message}`);
    must(['Error', 'TypeError', 'RangeError'].includes(e.name), () => `load threw ${e.name}: ${e.message}`);
    must(e.message.startsWith('load: '), () => `the message does not start with "load: ": ${e.message.slice(0, 300)}`);
    must(!ENGINE.test(unquoted(e.message)), () => `an engine error, not load's own: ${e.name}: ${e.message.slice(0, 300)}`);
    must(e.message.length <= 600, () => `a ${e.message.length}-character message: ${e.message.slice(0, 300)}…`);
    const reason = framingReason(input);
    must(reason ? reason.test(e.message) : !FRAMING.test(e.message), () => `refused for the wrong reason: ${e.message.slice(0, 300)} (the rules say ${reason ?? 'the framing and JSON are fine'})`);
    const after = torch.memory();
    must(after.liveTensors === before.liveTensors && after.bytesInUse === before.bytesInUse, () => `a refused file left memory at ${after.liveTensors} tensors / ${after.bytesInUse} bytes (was ${before.liveTensors} / ${before.bytesInUse}): ${e.message}`);
    must(after.wasmBytes === before.wasmBytes, () => `WebAssembly memory grew from ${before.wasmBytes} to ${after.wasmBytes} on a refused file: ${e.message}`);
    return { ok: false, name: e.name, message: e.message };
  }
  try {
    must(framingReason(input) === null, () => `loaded although ${framingReason(input)}`);
    // what the file says, read here with JSON.parse
    const n = Number(new DataView(input.buffer, input.byteOffset, 8).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(input.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    const dataStart = 8 + n, dataLen = input.length - dataStart;
    const keys = Object.keys(header).filter((k) => k !== '__metadata__');
    must(JSON.stringify(Object.keys(out)) === JSON.stringify(keys), () => `loaded keys ${JSON.stringify(Object.keys(out)).slice(0, 200)} but the header has ${JSON.stringify(keys).slice(0, 200)}`);
    let bytes = 0;
    const spans: [number, number][] = [];
    const sig: string[] = [];
    for (const k of keys) {
      const h = header[k], t = out[k];
      must(h.dtype in SIZE, () => `${JSON.stringify(k)}: loaded a tensor of dtype ${h.dtype}`);
      must(Array.isArray(h.shape) && h.shape.every((d) => Number.isSafeInteger(d) && d >= 0), () => `${JSON.stringify(k)}: loaded a tensor of shape ${JSON.stringify(h.shape)}`);
      const [b, e] = h.data_offsets;
      const numel = h.shape.reduce((a, d) => a * d, 1);
      must(Number.isSafeInteger(b) && Number.isSafeInteger(e) && b >= 0 && b <= e && e <= dataLen, () => `${JSON.stringify(k)}: loaded with data_offsets ${JSON.stringify(h.data_offsets)} (data region ${dataLen})`);
      must(numel * SIZE[h.dtype] === e - b, () => `${JSON.stringify(k)}: shape ${JSON.stringify(h.shape)} of ${h.dtype} loaded from a ${e - b}-byte span`);
      must(JSON.stringify(t.shape) === JSON.stringify(h.shape), () => `${JSON.stringify(k)}: shape ${JSON.stringify(t.shape)}, the header says ${JSON.stringify(h.shape)}`);
      const to = h.dtype === 'BOOL' ? 'bool' : ['F32', 'F64', 'F16', 'BF16'].includes(h.dtype) ? 'float32' : 'int32';
      must(t.dtype === to, () => `${JSON.stringify(k)}: ${h.dtype} loaded as ${t.dtype}`);
      const ref = reference(h.dtype, input.subarray(dataStart + b, dataStart + e));
      must(ref !== null, () => `${JSON.stringify(k)}: ${h.dtype} values outside int32 were loaded`);
      must(t.isContiguous() && !t.requiresGrad, () => `${JSON.stringify(k)}: not a plain contiguous leaf`);
      const p = t.ptr('fuzz');
      const { bits, values } = ref;
      // exact bits, except conversions from F64/F16, compared as values (NaN payloads may differ)
      const got = bits ? i32View(p, numel) : f32View(p, numel);
      let bad = -1;
      for (let i = 0; i < numel && bad < 0; i++) if (bits ? got[i] !== bits[i] : !Object.is(got[i], values![i])) bad = i;
      must(bad < 0, () => `${JSON.stringify(k)}: element ${bad} of ${h.dtype} is ${got[bad]}, expected ${(bits ?? values!)[bad]}`);
      sig.push(`${k}:${Array.from(got).join(',')}`);
      bytes += Math.max(4, numel * 4);
      spans.push([b, e]);
    }
    // the spans tile the data region (the format's rule), so the bytes allocated are justified by the file
    spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let at = 0;
    for (const [b, e] of spans) { must(b === at, () => `loaded although the data region has a gap or overlap at byte ${at} (next span [${b}, ${e}])`); at = e; }
    must(at === dataLen, () => `loaded although the tensors cover ${at} of ${dataLen} data bytes`);
    const after = torch.memory();
    must(after.liveTensors - before.liveTensors === keys.length, () => `${after.liveTensors - before.liveTensors} tensors allocated for ${keys.length}`);
    must(after.bytesInUse - before.bytesInUse === bytes, () => `${after.bytesInUse - before.bytesInUse} bytes allocated, the tensors need ${bytes}`);
    must(bytes <= 4 * input.length, () => `${bytes} bytes allocated for a ${input.length}-byte file`);
    must(after.wasmBytes === before.wasmBytes, () => `WebAssembly memory grew from ${before.wasmBytes} to ${after.wasmBytes} for a ${input.length}-byte file`);
    return { ok: true, keys, sig };
  } finally {
    for (const t of Object.values(out)) t.dispose();
    const end = torch.memory();
    must(end.liveTensors === before.liveTensors && end.bytesInUse === before.bytesInUse, () => 'disposing the loaded tensors did not free them');
  }
}

const same = (a: Outcome, b: Outcome): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Checks loadMetadata on the same bytes: it agrees with load and allocates nothing. */
function metadataOnce(input: Uint8Array, loaded: Outcome): void {
  const before = memKey(), wasm = torch.memory().wasmBytes;
  let meta: Record<string, string>;
  try {
    meta = api.loadMetadata(input);
  } catch (e) {
    must(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), () => `loadMetadata threw ${String(e)}`);
    must(!loaded.ok, () => `loadMetadata refused a file load accepts: ${e.message}`);
    must(e.message === `loadMetadata: ${loaded.message.slice('load: '.length)}` && e.name === loaded.name, () => `loadMetadata's error differs from load's:\n  ${e.name}: ${e.message.slice(0, 300)}\n  ${loaded.name}: ${loaded.message.slice(0, 300)}`);
    must(memKey() === before && torch.memory().wasmBytes === wasm, () => 'loadMetadata changed torch.memory()');
    return;
  }
  must(loaded.ok, () => `loadMetadata accepted a file load refuses (${!loaded.ok ? loaded.message : ''})`);
  const n = Number(new DataView(input.buffer, input.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(input.subarray(8, 8 + n))) as { __metadata__?: Record<string, string> | null };
  must(JSON.stringify(meta) === JSON.stringify(header.__metadata__ ?? {}), () => `loadMetadata gave ${JSON.stringify(meta).slice(0, 200)}, the header has ${JSON.stringify(header.__metadata__).slice(0, 200)}`);
  must(memKey() === before && torch.memory().wasmBytes === wasm, () => 'loadMetadata allocated');
}

/** The library still works: the sentinel kept its values and a small op is right. */
function stillWorks(sentinel: Tensor, pattern: Float32Array): void {
  const got = f32View(sentinel.ptr('fuzz'), pattern.length);
  for (let i = 0; i < pattern.length; i++) must(Object.is(got[i], pattern[i]), () => `the sentinel tensor changed at element ${i}: ${got[i]} (was ${pattern[i]})`);
  const v = torch.tidy(() => torch.tensor([[1, 2], [3, 4]]).matmul(torch.tensor([[1], [-1]])).sum().item());
  must(v === -2, () => `[[1,2],[3,4]]·[1,-1] summed gives ${v}, expected -2`);
}

export interface FuzzReport { cases: number; seed: number; ms: number; byKind: Record<string, { loaded: number; refused: number }>; errors: Map<string, number>; slowestMs: number; wasmBytes: [number, number] }

/** Runs `cases` fuzz cases from `seed`; throws fast-check's report (seed, path, counterexample) on the first violation. */
export function fuzzLoad({ cases, seed, onProgress, under = torch }: { cases: number; seed: number; onProgress?: (done: number) => void; under?: LoadApi }): FuzzReport {
  api = under;
  const bases = corpus();
  // Room for every case: a freed 16 MiB block the loads reuse, so any growth of memory is a finding.
  torch.empty(4 * 1024 * 1024).dispose();
  const pattern = Float32Array.from({ length: 1024 }, (_, i) => (i % 7) - 3 + i / 1024);
  const sentinel = torch.tensor(pattern);
  const wasm0 = torch.memory().wasmBytes;
  const report: FuzzReport = { cases: 0, seed, ms: 0, byKind: {}, errors: new Map(), slowestMs: 0, wasmBytes: [wasm0, wasm0] };
  const t0 = performance.now();
  try {
    fc.assert(fc.property(caseArb(bases), ({ kind, bytes }) => {
      const c0 = performance.now();
      // the bytes as their own ArrayBuffer, then inside larger buffers of guard bytes (a view, a shared DataView)
      const outcome = loadOnce(bytes, bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes);
      for (const [at, guard, shared] of [[3, 0x7b, false], [13, 0x00, true]] as const) {
        const view = placed(bytes, at, guard, shared);
        const o = loadOnce(view, shared ? new DataView(view.buffer, view.byteOffset, view.byteLength) : view);
        must(same(o, outcome), () => `the result depends on the bytes around the input (offset ${at}, guard 0x${guard.toString(16)}${shared ? ', shared' : ''}):\n  ${JSON.stringify(o).slice(0, 300)}\n  ${JSON.stringify(outcome).slice(0, 300)}`);
      }
      metadataOnce(bytes, outcome);
      stillWorks(sentinel, pattern);
      const r = (report.byKind[kind] ??= { loaded: 0, refused: 0 });
      if (outcome.ok) r.loaded++; else {
        r.refused++;
        // the message's shape without its values, to see which checks the fuzzer reaches
        const shape = outcome.message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/-?\d[\d.e+]*/g, 'N').replace(/\(near .*\)$/, '').slice(0, 90);
        report.errors.set(shape, (report.errors.get(shape) ?? 0) + 1);
      }
      report.cases++;
      report.slowestMs = Math.max(report.slowestMs, performance.now() - c0);
      if (onProgress && report.cases % 10000 === 0) onProgress(report.cases);
    }), { numRuns: cases, seed, endOnFailure: false });
  } finally {
    report.ms = performance.now() - t0;
    report.wasmBytes[1] = torch.memory().wasmBytes;
    sentinel.dispose();
  }
  return report;
}

// ---- the script ----------------------------------------------------------------------------------
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // @ts-expect-error: plain JS helper shared with the examples
  const { parseCli } = await import('./args.mjs');
  const { cases, seed } = parseCli('npx tsx scripts/fuzz.ts [--cases N (default 100000)] [--seed S (default 1)] (or: npm run fuzz -- ...)', {
    cases: { type: 'integer', default: 100_000, min: 1 },
    seed: { type: 'integer', default: 1 },
  }) as { cases: number; seed: number };
  await torch.init();
  console.log(`fuzzing torch.load and torch.loadMetadata: ${cases} cases, seed ${seed}`);
  const t0 = performance.now();
  let report: FuzzReport;
  try {
    report = fuzzLoad({ cases, seed, onProgress: (n) => console.log(`  ${n} cases, ${((performance.now() - t0) / 1000).toFixed(1)} s`) });
  } catch (e) {
    console.error(`FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s:\n${e instanceof Error ? e.message : String(e)}${e instanceof Error && e.cause instanceof Error ? `\ncaused by: ${e.cause.message}` : ''}`);
    process.exit(1);
  }
  console.log(`ok: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s (slowest case ${report.slowestMs.toFixed(1)} ms); WebAssembly memory ${report.wasmBytes[0]} → ${report.wasmBytes[1]} bytes`);
  console.log('cases by kind (loaded / refused):');
  for (const [kind, r] of Object.entries(report.byKind)) console.log(`  ${kind.padEnd(22)} ${String(r.loaded).padStart(7)} / ${r.refused}`);
  console.log(`refusals by message (${report.errors.size} shapes, most frequent first):`);
  for (const [m, n] of [...report.errors].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${String(n).padStart(6)}  ${m}`);
}
