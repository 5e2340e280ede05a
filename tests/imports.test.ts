// The house rule of src/: imports run one way, runtime → tensor → autograd's recorder → ops →
// autograd's engine → methods → nn → optim → index, and no file imports itself back through
// others. Type-only imports are left out: they are erased at compile time (a Tensor names its
// gradFn's Node type and a Node its input Tensors, which is no load order at all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = fileURLToPath(new URL('..', import.meta.url));

// Lower layers never import higher ones; files of one layer may import each other (acyclically).
const LAYERS: [RegExp, number][] = [
  [/^shape\.ts$|^runtime\/(wasm|wasm_bytes|wasm_binary|wasm_embedded|kernels|threads)\.ts$/, 0],
  [/^options\.ts$/, 0], // checkOptions: imports nothing, usable everywhere
  [/^runtime\/(storage|parallel)\.ts$/, 1],
  [/^runtime\/scope\.ts$|^autograd\/grad_mode\.ts$/, 2],
  [/^tensor\.ts$/, 3],
  [/^autograd\/graph\.ts$/, 4],
  [/^ops\//, 5],
  [/^io\//, 5], // torch.save / torch.load (safetensors): tensors and ops in, no autograd engine
  [/^autograd\/engine\.ts$/, 6],
  [/^methods\.ts$/, 7],
  [/^autograd\/api\.ts$/, 7], // torch.autograd's public names (re-exports)
  [/^nn\//, 8],
  [/^utils\//, 8], // torch.utils.data: datasets and the DataLoader (tensors and ops in, no nn)
  [/^optim\//, 9],
  [/^index\.ts$|^entries\//, 10],
];
const layerOf = (file: string): number => {
  const hit = LAYERS.find(([re]) => re.test(file));
  if (!hit) throw new Error(`tests/imports.test.ts: src/${file} belongs to no layer; add it to LAYERS`);
  return hit[1];
};

async function graph(): Promise<{ deps: Record<string, string[]>; cycles: string[][] }> {
  const res = await madge(`${root}src`, {
    fileExtensions: ['ts'],
    tsConfig: `${root}tsconfig.json`,
    excludeRegExp: [/\.d\.ts$/],
    detectiveOptions: { ts: { skipTypeImports: true }, es6: { skipTypeImports: true } },
  });
  return { deps: res.obj(), cycles: res.circular() };
}

test('src/ has no import cycle', async () => {
  const { deps, cycles } = await graph();
  assert.ok(Object.keys(deps).length > 30, `madge read the sources (${Object.keys(deps).length} files)`);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(' → ')).join('\n')}`);
});

test('src/ imports run one way: no layer imports a higher one', async () => {
  const { deps } = await graph();
  const upward: string[] = [];
  for (const [file, imports] of Object.entries(deps)) {
    // (the workerd entry's .wasm import lies outside src/)
    for (const dep of imports) if (!dep.startsWith('../') && layerOf(dep) > layerOf(file)) upward.push(`${file} (layer ${layerOf(file)}) imports ${dep} (layer ${layerOf(dep)})`);
  }
  assert.deepEqual(upward, []);
});

test('the checker sees an upward import (it can fail)', async () => {
  const { deps } = await graph();
  assert.ok(deps['methods.ts'].includes('tensor.ts'), 'methods.ts imports tensor.ts');
  assert.ok(layerOf('tensor.ts') < layerOf('methods.ts'), 'tensor.ts importing methods.ts would be reported');
  assert.ok(!deps['tensor.ts'].some((d) => d.startsWith('ops/')), 'tensor.ts imports no op');
});
