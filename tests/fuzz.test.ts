// Hostile files (issue 11): a seeded sample of scripts/fuzz.ts (`npm run fuzz` runs 100,000 cases)
// — fast-check mutations of valid safetensors files and random bytes through torch.load and
// torch.loadMetadata, every invariant checked per case (see the script's header) — and the
// findings of the fuzzer kept as plain cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { fuzzLoad } from '../scripts/fuzz.js';
import { throwsClean } from './support/throws.js';

test('torch.load / loadMetadata: 3,000 seeded fuzz cases keep every invariant, and the sample reaches the deep checks', () => {
  const r = fuzzLoad({ cases: 3000, seed: 20261202 });
  assert.equal(r.cases, 3000);
  const loaded = Object.values(r.byKind).reduce((a, k) => a + k.loaded, 0);
  const refused = Object.values(r.byKind).reduce((a, k) => a + k.refused, 0);
  assert.ok(loaded >= 200 && refused >= 2000, `loaded ${loaded}, refused ${refused}`);
  assert.ok(r.byKind['header edits'].loaded > 0, 'some header edits still give valid files');
  // a fuzzer stuck on the framing would reach only a few of load's checks
  assert.ok(r.errors.size >= 80, `${r.errors.size} distinct refusals`);
  for (const check of [/duplicate key/, /overlap/, /belong to no tensor/, /outside int/, /unknown dtype/, /nesting deeper/, /not valid UTF/, /run past the end of the data region/, /shape .* of .* is .* bytes, but data_offsets/]) {
    assert.ok([...r.errors.keys()].some((m) => check.test(m)), `no case reached ${check}`);
  }
  assert.equal(r.wasmBytes[1], r.wasmBytes[0], 'WebAssembly memory never grew');
});

const enc = new TextEncoder();
function file(header: string, data: Uint8Array | number = 0): Uint8Array {
  const h = enc.encode(header), d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.length + d.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(d, 8 + h.length);
  return out;
}

test('loadMetadata names itself in its errors (it said "load:")', () => {
  throwsClean(() => torch.loadMetadata(file('{"a":1}')), 'Error', /^loadMetadata: tensor "a" must be described by an object/);
  throwsClean(() => torch.loadMetadata(new Uint8Array(3)), 'Error', /^loadMetadata: the file is truncated: 3 bytes/);
  throwsClean(() => torch.loadMetadata(file('{"__metadata__":{"a":"b"},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 4)), 'RangeError', /^loadMetadata: tensor "x": shape \[2\] of F32 is 8 bytes/);
});

test('a hostile name or number is shortened in the message (a 100 KB name made a 100 KB message)', () => {
  const name = 'x'.repeat(100_000);
  throwsClean(() => torch.load(file(JSON.stringify({ [name]: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }), 4)), 'RangeError',
    /^load: tensor "x{64}…" \(100000 characters\): shape \[2\] of F32 is 8 bytes, but data_offsets \[0, 4\] span 4$/);
  throwsClean(() => torch.load(file(`{"a":{"dtype":"F32","shape":[${'9'.repeat(300)}],"data_offsets":[0,4]}}`, 4)), 'RangeError',
    /^load: tensor "a": shape\[0\] is 9{40}… \(300 digits\), too large$/);
  throwsClean(() => torch.load(file(`{"a":{"dtype":"${'Q'.repeat(1000)}","shape":[1],"data_offsets":[0,4]}}`, 4)), 'TypeError', /unknown dtype "Q{64}…" \(1000 characters\)/);
});

test('\\u escapes: an unpaired surrogate is refused as serde_json (the reference reader) refuses it; pairs decode', () => {
  throwsClean(() => torch.load(file('{"\\ud800":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}')), 'Error', /^load: the header is not valid JSON: unpaired surrogate \\ud800 at character 2/);
  throwsClean(() => torch.load(file('{"\\udc00\\ud800":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}')), 'Error', /unpaired surrogate \\udc00/);
  throwsClean(() => torch.load(file('{"\\ud83d\\u0041":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}')), 'Error', /unpaired surrogate \\ud83d/);
  torch.tidy(() => assert.deepEqual(Object.keys(torch.load(file('{"\\ud83d\\ude00\\u00e9":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'))), ['😀é']));
});

test('"__metadata__": null is no metadata, as in the reference reader (Option<HashMap>)', () => {
  const bytes = file('{"__metadata__":null,"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', new Uint8Array(new Float32Array([1.5]).buffer));
  assert.deepEqual(torch.loadMetadata(bytes), {});
  torch.tidy(() => assert.equal(torch.load(bytes).a.item(), 1.5));
});

test('bytes in a SharedArrayBuffer at an offset load as the same bytes in their own buffer', () => {
  torch.tidy(() => {
    const bytes = torch.save({ w: torch.tensor([[1, -2], [3.5, 4]]), i: torch.tensor(Int32Array.from([7])) }, { metadata: { k: 'v' } });
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length + 16)).fill(0xff).subarray(5, 5 + bytes.length);
    shared.set(bytes);
    const sd = torch.load(shared);
    assert.deepEqual(sd.w.tolist(), [[1, -2], [3.5, 4]]);
    assert.deepEqual(sd.i.tolist(), [7]);
    assert.deepEqual(torch.loadMetadata(shared), { k: 'v' });
  });
});

test('a detached ArrayBuffer (transferred away) is a TypeError naming load, not the engine\'s "Cannot perform Construct"', () => {
  const bytes = torch.tidy(() => torch.save({ a: torch.tensor([1, 2]) }));
  const buffer = bytes.slice().buffer, view = bytes.slice();
  structuredClone(buffer, { transfer: [buffer] });
  structuredClone(view.buffer, { transfer: [view.buffer] });
  throwsClean(() => torch.load(buffer), 'TypeError', /^load: the bytes' ArrayBuffer is detached \(transferred with postMessage or structuredClone\)/);
  throwsClean(() => torch.load(view), 'TypeError', /^load: the bytes' ArrayBuffer is detached/);
  throwsClean(() => torch.loadMetadata(view), 'TypeError', /^loadMetadata: the bytes' ArrayBuffer is detached/);
});

test('a valid file whose header is 19,280 (0x4b50) bytes long loads: its length field starts with "PK" but it is no zip', () => {
  torch.tidy(() => {
    const bytes = torch.save({ w: torch.tensor([1.5, 2]) }, { metadata: { pad: 'x'.repeat(19193) } });
    assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0x50, 0x4b, 0, 0]);
    assert.deepEqual(torch.load(bytes).w.tolist(), [1.5, 2]);
    assert.equal(torch.loadMetadata(bytes).pad.length, 19193);
  });
  throwsClean(() => torch.load(enc.encode('PK\x03\x04\x14\x00\x00\x00 a zip archive')), 'Error', /^load: this is a zip archive/);
});

test('a JSON number of any length is read whole (a 400-character window made a 500-digit dimension "invalid JSON")', () => {
  throwsClean(() => torch.load(file(`{"a":{"dtype":"F32","shape":[${'9'.repeat(500)}],"data_offsets":[0,4]}}`, 4)), 'RangeError', /^load: tensor "a": shape\[0\] is 9{40}… \(500 digits\), too large$/);
});
