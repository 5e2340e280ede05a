// torch.save / torch.load (safetensors) both ways against PyTorch, and hostile files.
// - io_mlp.safetensors, written by tests/fixtures/gen_io.py (struct/json) from a PyTorch MLP, loads
//   into the same model here and gives PyTorch's predictions (1e-4 relative, 1e-5 absolute);
// - io_dtypes.safetensors holds every dtype converted on load: values must equal PyTorch's
//   .float() / .int() exactly;
// - a file written here is read by PyTorch (tests/fixtures/read_io.py: exact values, and the MLP
//   loaded with strict=True predicts what wasmtorch predicts, to 1e-5);
// - every malformed file is a named error that leaves torch.memory() unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { Tensor } from '../src/tensor.js';
import { i32View } from '../src/runtime/storage.js';
import { loadFixture, fromFixture, assertClose } from './oracle.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
interface Spec { shape: number[]; data: number[] }
const io = loadFixture<{
  mlp: { file: string; bytes: number; keys: string[]; metadata: Record<string, string>; inputs: Spec; predictions: Spec };
  dtypes: { file: string; bytes: number; keys: string[]; metadata: Record<string, string>; tensors: Record<string, Spec & { dtype: string }> };
}>('io.json');
const mlpBytes = readFileSync(join(fixtures, io.mlp.file));
const dtypeBytes = readFileSync(join(fixtures, io.dtypes.file));

const hasTorch = (() => {
  try { execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

function boolTensor(values: number[], shape: number[] = [values.length]): Tensor {
  const t = Tensor.empty(shape, 'bool');
  i32View(t.ptr('test'), values.length).set(values.map((v) => (v ? 1 : 0)));
  return t;
}

const mlp = (): torch.nn.Sequential => new torch.nn.Sequential(new torch.nn.Linear(5, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 3));

/** Runs fn and checks it left no tensor and no byte behind. */
function noLeak(fn: () => void): void {
  const before = torch.memory();
  fn();
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors, 'live tensors');
  assert.equal(after.bytesInUse, before.bytesInUse, 'bytes in use');
}

// ---- files written by PyTorch ------------------------------------------------------------------

test('load: a PyTorch MLP state dict loads with loadStateDict(strict) and predicts what PyTorch predicts', () => {
  noLeak(() => torch.tidy(() => {
    const sd = torch.load(mlpBytes);
    assert.deepEqual(Object.keys(sd), io.mlp.keys);
    const model = mlp();
    assert.deepEqual(model.loadStateDict(sd, { strict: true }), { missingKeys: [], unexpectedKeys: [] });
    const y = model.forward(fromFixture(io.mlp.inputs));
    assert.deepEqual(y.shape, io.mlp.predictions.shape);
    assertClose(y.toFloat32Array(), io.mlp.predictions.data, 'predictions', 1e-4, 1e-5);
    assert.deepEqual(torch.loadMetadata(mlpBytes), io.mlp.metadata);
    model.dispose();
  }));
});

test('load: F64, F16, BF16, I64, U64, U32, I16, U16, I8, U8, BOOL, I32, F32 (unaligned too) equal PyTorch\'s conversions', () => {
  noLeak(() => torch.tidy(() => {
    const sd = torch.load(dtypeBytes);
    assert.deepEqual(Object.keys(sd), io.dtypes.keys, 'file order');
    for (const [name, want] of Object.entries(io.dtypes.tensors)) {
      const t = sd[name];
      assert.equal(t.dtype, want.dtype, `${name}: dtype`);
      assert.deepEqual(t.shape, want.shape, `${name}: shape`);
      assert.deepEqual(t.dataSync(), want.data, `${name}: values`);
      assert.equal(t.requiresGrad, false);
    }
    assert.deepEqual(sd.bool.tolist(), [[true, false, true]]);
    assert.deepEqual(torch.loadMetadata(dtypeBytes), io.dtypes.metadata, 'metadata (UTF-8)');
  }));
});

test('load: from a Buffer at an odd byte offset inside a larger ArrayBuffer, an ArrayBuffer, a subarray and a DataView', () => {
  noLeak(() => torch.tidy(() => {
    const big = new ArrayBuffer(dtypeBytes.length + 64);
    new Uint8Array(big).fill(0xee);
    new Uint8Array(big, 13, dtypeBytes.length).set(dtypeBytes);
    const inputs: [string, Uint8Array | ArrayBuffer | DataView][] = [
      ['Buffer', Buffer.from(big, 13, dtypeBytes.length)],
      ['ArrayBuffer', big.slice(13, 13 + dtypeBytes.length)],
      ['subarray', new Uint8Array(big).subarray(13, 13 + dtypeBytes.length)],
      ['DataView', new DataView(big, 13, dtypeBytes.length)],
    ];
    for (const [what, bytes] of inputs) {
      const sd = torch.load(bytes);
      for (const [name, want] of Object.entries(io.dtypes.tensors)) assert.deepEqual(sd[name].dataSync(), want.data, `${what}: ${name}`);
    }
  }));
});

test('save: writing back what was loaded from PyTorch reproduces the file byte for byte', () => {
  noLeak(() => torch.tidy(() => {
    const again = torch.save(torch.load(mlpBytes), { metadata: torch.loadMetadata(mlpBytes) });
    assert.ok(again instanceof Uint8Array);
    assert.deepEqual(Buffer.from(again), mlpBytes);
  }));
});

test('the committed .safetensors fixtures are what gen_io.py writes', { skip: !hasTorch && 'python3-torch is not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-io-'));
  try {
    execFileSync('/usr/bin/python3', [join(fixtures, 'gen_io.py')], { env: { ...process.env, FIXTURES_OUT: dir }, stdio: 'ignore' });
    for (const f of [io.mlp.file, io.dtypes.file]) assert.deepEqual(readFileSync(join(dir, f)), readFileSync(join(fixtures, f)), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- files written here --------------------------------------------------------------------

test('save → load round trip: float32, int32 (any bit pattern), bool, views, 0-dim, empty; layout as the format wants', () => {
  noLeak(() => torch.tidy(() => {
    const base = torch.arange(12).reshape(3, 4).mul(0.5);
    const sd = {
      f: torch.tensor([[1.5, -2], [Number.NaN, Infinity]]),
      ints: torch.tensor(Int32Array.from([-1, 0x7fc00001, -2147483648, 2147483647])),
      flags: boolTensor([1, 0, 0, 1, 1], [5]),
      transposed: base.t(),
      expanded: torch.tensor([1, 2, 3]).reshape(3, 1).expand(3, 4),
      offsetView: base.reshape(12).t().reshape(2, 6).t(), // strided
      scalar: torch.tensor(7.25).reshape([]),
      empty: torch.zeros(0, 3),
      grad: torch.tensor([1, 2], { requiresGrad: true }).mul(3),
    };
    const bytes = torch.save(sd, { metadata: { format: 'pt', note: 'ünï ✓' } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0, 'header padded to 8 bytes');
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    assert.deepEqual(Object.keys(header), ['__metadata__', ...Object.keys(sd)], 'metadata first, then the state dict order');
    for (const [k, v] of Object.entries(header) as [string, { dtype: string; data_offsets: number[] }][]) {
      if (k !== '__metadata__' && v.dtype !== 'BOOL') assert.equal(v.data_offsets[0] % 4, 0, `${k} aligned`);
    }
    assert.equal(header.flags.dtype, 'BOOL');
    assert.equal(header.flags.data_offsets[1] - header.flags.data_offsets[0], 5, 'one byte per bool');
    assert.equal(header.ints.dtype, 'I32');
    const back = torch.load(bytes);
    assert.deepEqual(Object.keys(back), Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) {
      assert.equal(back[k].dtype, t.dtype, k);
      assert.deepEqual(back[k].shape, t.shape, k);
      assert.deepEqual(back[k].tolist(), t.tolist(), k);
      assert.equal(back[k].requiresGrad, false, `${k}: loaded tensors are plain leaves`);
    }
    assert.ok(Object.is(back.f.tolist() as number[][] && (back.f.tolist() as number[][])[1][0], Number.NaN));
    assert.deepEqual(torch.loadMetadata(bytes), { format: 'pt', note: 'ünï ✓' });
    assert.deepEqual(torch.loadMetadata(torch.save({})), {});
    assert.deepEqual(Object.keys(torch.load(torch.save({}))), []);
  }));
});

test('a file written here loads in PyTorch (read with struct/json) with the same values and predictions', { skip: !hasTorch && 'python3-torch is not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-io-'));
  try {
    torch.tidy(() => {
      torch.manualSeed(11);
      const model = mlp();
      const x = torch.randn(4, 5);
      const y = model.forward(x);
      const extra = {
        'extra.int32': torch.tensor(Int32Array.from([-7, 0, 2147483647, -2147483648])).reshape(2, 2),
        'extra.bool': boolTensor([1, 0, 1, 1, 0, 0], [2, 3]),
        'extra.transposed': torch.randn(3, 2).t(),
        'extra.scalar': torch.tensor(-0.75).reshape([]),
        'extra.empty': torch.zeros(0, 2),
      };
      const sd: Record<string, Tensor> = { ...Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [`mlp.${k}`, v])), ...extra };
      const metadata = { format: 'pt', writer: 'wasmtorch' };
      writeFileSync(join(dir, 'model.safetensors'), torch.save(sd, { metadata }));
      const dtypeName = { float32: 'F32', int32: 'I32', bool: 'BOOL' } as const;
      const expected = {
        metadata,
        tensors: Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, {
          dtype: dtypeName[t.dtype], shape: t.shape, data: t.dtype === 'bool' ? t.dataSync().map(Boolean) : t.dataSync(),
        }])),
        mlp: { sizes: [5, 16, 3], prefix: 'mlp.', inputs: { shape: x.shape, data: x.dataSync() }, predictions: { shape: y.shape, data: y.dataSync() } },
      };
      writeFileSync(join(dir, 'expected.json'), JSON.stringify(expected));
      model.dispose();
    });
    const out = execFileSync('/usr/bin/python3', [join(fixtures, 'read_io.py'), join(dir, 'model.safetensors'), join(dir, 'expected.json')], { encoding: 'utf8' });
    assert.equal(JSON.parse(out).ok, true);
    assert.equal(JSON.parse(out).tensors, 9);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadStateDict(torch.load(bytes), { strict }): strict names missing and unexpected keys, non-strict loads what matches', () => {
  noLeak(() => torch.tidy(() => {
    const sd = torch.load(mlpBytes);
    const small = new torch.nn.Sequential(new torch.nn.Linear(5, 16));
    assert.throws(() => small.loadStateDict(sd), /unexpected keys \[2\.weight, 2\.bias\]/);
    assert.throws(() => small.loadStateDict(sd, { strict: true }), /unexpected keys/);
    const r = small.loadStateDict(sd, { strict: false });
    assert.deepEqual(r, { missingKeys: [], unexpectedKeys: ['2.weight', '2.bias'] });
    assert.deepEqual((small.get(0) as torch.nn.Linear).weight.tolist(), sd['0.weight'].tolist());
    small.dispose();
  }));
});

// ---- save errors ------------------------------------------------------------------------------

test('save: bad arguments are TypeErrors that name the problem, and nothing is written or leaked', () => {
  torch.tidy(() => {
    const t = torch.ones(2);
    const gone = torch.ones(2);
    gone.dispose();
    const cases: [() => unknown, RegExp][] = [
      [() => torch.save(t as never), /save: expected a state dict.*got a Tensor/],
      [() => torch.save([t] as never), /save: expected a state dict.*got an array of 1/],
      [() => torch.save(null as never), /save: expected a state dict.*got null/],
      [() => torch.save({ a: 1 } as never), /save: the value of "a" is number 1, not a Tensor/],
      [() => torch.save({ a: gone }), /save \("a"\): the tensor of shape \[2\] was disposed/],
      [() => torch.save({ __metadata__: t }), /'__metadata__' is reserved/],
      [() => torch.save({ a: t }, { metadata: { n: 1 } } as never), /save: metadata values must be strings, but "n" is number 1/],
      [() => torch.save({ a: t }, { meta: {} } as never), /save: unknown option 'meta'; known options: metadata/],
      [() => torch.save({ a: t }, { metadata: 'x' } as never), /save: option 'metadata' must be a plain object, got string "x"/],
      [() => torch.save({ a: t }, 'model.safetensors' as never), /save: returns the bytes rather than writing a file.*writeFileSync\("model.safetensors"/],
    ];
    for (const [fn, re] of cases) noLeak(() => assert.throws(fn, (e: Error) => e instanceof Error && re.test(e.message), String(re)));
  });
});

// ---- hostile files ----------------------------------------------------------------------------

const enc = new TextEncoder();
/** A safetensors file from a header (object or raw JSON text) and a data region of `data` bytes. */
function file(header: object | string | Uint8Array, data: number | Uint8Array = 0, headerLength?: bigint): Uint8Array {
  const h = header instanceof Uint8Array ? header : enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.length + d.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(d, 8 + h.length);
  return out;
}
const f32 = (shape: number[], begin: number, end: number): object => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

const hostile: [string, Uint8Array | unknown, RegExp, string?][] = [
  ['empty file', new Uint8Array(0), /load: the file is truncated: 0 bytes/],
  ['truncated length', new Uint8Array([1, 2, 3]), /load: the file is truncated: 3 bytes/],
  ['header length past the end', file({ a: f32([1], 0, 4) }, 4, 1000n), /load: the header length 1000 runs past the end of the file \(66 bytes leave at most 58 for the header\)/, 'RangeError'],
  ['header length 2^64-1', file('{}', 0, 2n ** 64n - 1n), /load: the header length 18446744073709551615 runs past the end/, 'RangeError'],
  ['file cut inside the data', file({ a: f32([4], 0, 16) }, 8), /tensor "a": data_offsets \[0, 16\] run past the end of the data region \(8 bytes\)/, 'RangeError'],
  ['header not an object', file('[1, 2]'), /load: the header must be a JSON object starting with '\{'/],
  ['invalid JSON', file('{"a": {"dtype": "F32",}}'), /load: the header is not valid JSON: expected a key in double quotes at character 22/],
  ['unterminated JSON', file('{"a": {"dtype'), /load: the header is not valid JSON: unterminated string at character 7/],
  ['trailing garbage', file('{} x'), /load: the header is not valid JSON: unexpected text after the header object/],
  ['invalid UTF-8', file(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x7b, 0x7d, 0x7d])), /load: the header \(8 bytes\) is not valid UTF-8/],
  ['duplicate tensor names', file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8), /duplicate key "w"/],
  ['duplicate field', file('{"w":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}', 4), /duplicate key "dtype"/],
  ['overlapping offsets', file({ a: f32([4], 0, 16), b: f32([4], 8, 24) }, 24), /tensors "a" \(data_offsets \[0, 16\]\) and "b" \(\[8, 24\]\) overlap/, 'RangeError'],
  ['the same bytes twice', file({ a: f32([2], 0, 8), b: f32([2], 0, 8) }, 8), /tensors "a" \(data_offsets \[0, 8\]\) and "b" \(\[0, 8\]\) overlap/, 'RangeError'],
  ['a gap between tensors', file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12), /bytes \[4, 8\) of the data region belong to no tensor \(before "b"\)/, 'RangeError'],
  ['trailing bytes', file({ a: f32([1], 0, 4) }, 9), /the data region has 9 bytes but the tensors cover 4/, 'RangeError'],
  ['offsets backwards', file({ a: f32([0], 4, 0) }, 4), /tensor "a": data_offsets \[4, 0\] end before they begin/, 'RangeError'],
  ['shape and span disagree', file({ a: f32([2, 3], 0, 20) }, 20), /tensor "a": shape \[2, 3\] of F32 is 24 bytes, but data_offsets \[0, 20\] span 20/, 'RangeError'],
  ['negative dimension', file({ a: f32([-1, 4], 0, 16) }, 16), /tensor "a": shape\[0\] is negative \(-1\)/, 'RangeError'],
  ['fractional dimension', file({ a: f32([2.5], 0, 10) }, 10), /tensor "a": shape\[0\] must be a non-negative integer, got 2.5/],
  ['huge dimension', file('{"a":{"dtype":"F32","shape":[123456789012345678901234567890],"data_offsets":[0,4]}}', 4), /shape\[0\] is 123456789012345678901234567890, too large/, 'RangeError'],
  ['numel overflow', file({ a: f32([2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, 4], 0, 16) }, 16), /tensor "a": shape \[2147483647, 2147483647, 2147483647, 4\] of F32 is 158456324807167746405652496368 bytes, but data_offsets \[0, 16\] span 16/, 'RangeError'],
  ['dimension over int32', file({ a: f32([0, 2 ** 31], 0, 0) }), /tensor "a": shape \[0, 2147483648\] has a dimension over 2147483647/, 'RangeError'],
  ['17 dims', file({ a: f32(new Array(17).fill(1), 0, 4) }, 4), /tensor "a" has 17 dims; wasmtorch tensors have at most 16/, 'RangeError'],
  ['unknown dtype', file({ a: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, 16), /tensor "a" has unknown dtype "F128" \(known: F32, F64/, 'TypeError'],
  ['unsupported dtype', file({ a: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, 4), /tensor "a" has dtype F8_E4M3, which wasmtorch does not read/, 'TypeError'],
  ['missing data_offsets', file({ a: { dtype: 'F32', shape: [1] } }, 4), /tensor "a" has no data_offsets/],
  ['shape not an array', file({ a: { dtype: 'F32', shape: 4, data_offsets: [0, 16] } }, 16), /tensor "a": shape must be an array, got the number 4/],
  ['three offsets', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, 8), /data_offsets must be an array \[begin, end\], got an array of 3/],
  ['metadata not strings', file({ __metadata__: { epoch: 3 } }), /__metadata__ values must be strings, but "epoch" is the number 3/],
  ['int64 past int32', file({ a: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(new BigInt64Array([5n, 2n ** 31n]).buffer)), /tensor "a" \(I64, shape \[2\]\) holds 2147483648 at flat index 1, outside int32 \[-2147483648, 2147483647\]/, 'RangeError'],
  ['uint32 past int32', file({ a: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array([0xff, 0xff, 0xff, 0xff])), /holds 4294967295 at flat index 0, outside int32/, 'RangeError'],
  ['nesting bomb', file(`{"a":${'['.repeat(10000)}${']'.repeat(10000)}}`), /nesting deeper than 64 levels/],
  ['a PyTorch zip checkpoint', enc.encode('PK\x03\x04 this is a zip archive with data.pkl inside'), /this is a zip archive \(PyTorch's own torch.save format\)/],
  ['a path instead of bytes', 'model.safetensors', /load: takes the file's bytes .* not a path.*readFileSync\("model.safetensors"\)/, 'TypeError'],
  ['a number', 42, /load: expected the file's bytes .* got number 42/, 'TypeError'],
];

for (const [what, bytes, re, name] of hostile) {
  test(`load refuses ${what} with a clear error and allocates nothing`, () => {
    noLeak(() => assert.throws(() => torch.load(bytes as Uint8Array), (e: Error) => {
      assert.match(e.message, re);
      if (name) assert.equal(e.name, name);
      return true;
    }));
  });
}

test('load: the second tensor not fitting in memory frees the first (maxMemoryMB)', async () => {
  const n = 256 * 1024; // 1 MiB per tensor
  const bytes = file({ a: f32([n], 0, 4 * n), b: f32([n], 4 * n, 8 * n) }, 8 * n);
  const before = torch.memory();
  await torch.init({ maxMemoryMB: (before.bytesInUse + 1.5 * 1024 * 1024) / (1024 * 1024) });
  try {
    assert.throws(() => torch.load(bytes), { name: 'RangeError', message: /load: out of memory/ });
    assert.equal(torch.memory().liveTensors, before.liveTensors);
    assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  } finally {
    await torch.init({ maxMemoryMB: 1e9 });
  }
  torch.tidy(() => assert.deepEqual(Object.keys(torch.load(bytes)), ['a', 'b'], 'loads once memory allows'));
});

test('load: a tensor called "__proto__" and integer-looking names are ordinary keys', () => {
  noLeak(() => torch.tidy(() => {
    const sd = torch.load(file('{"__proto__":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', new Uint8Array(new Float32Array([2.5]).buffer)));
    assert.equal(Object.getPrototypeOf(sd), Object.prototype);
    assert.ok(Object.hasOwn(sd, '__proto__'));
    assert.equal(Object.getOwnPropertyDescriptor(sd, '__proto__')!.value.item(), 2.5);
  }));
});
