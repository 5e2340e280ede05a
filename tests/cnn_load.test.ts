// A CNN trained in PyTorch (tests/fixtures/gen_cnn.py: Conv2d with padding, MaxPool2d, a grouped
// Conv2d, Flatten, Linear) loads here through safetensors and predicts what PyTorch predicts.
// Tolerance: logits within 1e-4 relative + 1e-5 absolute of PyTorch's (float32 sums in another
// order: im2col + SGEMM here, oneDNN there); the predicted classes are equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { loadFixture, fromFixture, assertClose } from './oracle.js';

const { nn } = torch;
interface Spec { shape: number[]; data: number[] }
const cnn = loadFixture<{ file: string; bytes: number; state: { name: string; shape: number[] }[]; inputs: Spec; logits: Spec; predicted: number[] }>('cnn.json');
const bytes = readFileSync(fileURLToPath(new URL(`./fixtures/${cnn.file}`, import.meta.url)));

/** gen_cnn.py's model, built the same way in wasmtorch. */
const model = (): torch.nn.Sequential => new nn.Sequential(
  new nn.Conv2d(1, 6, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Conv2d(6, 12, 3, { groups: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(48, 5));

test('a PyTorch-trained CNN: the same state dict names and shapes, loaded from safetensors, gives PyTorch\'s logits', () => {
  const before = torch.memory();
  assert.equal(bytes.length, cnn.bytes);
  torch.tidy(() => {
    const net = model();
    const ours = net.stateDict();
    assert.deepEqual(Object.entries(ours).map(([name, t]) => ({ name, shape: t.shape })), cnn.state, 'names and shapes in PyTorch\'s order');
    const sd = torch.load(bytes);
    assert.deepEqual(net.loadStateDict(sd, { strict: true }), { missingKeys: [], unexpectedKeys: [] });
    net.eval();
    const logits = torch.noGrad(() => net.forward(fromFixture(cnn.inputs)));
    assert.deepEqual(logits.shape, cnn.logits.shape);
    assertClose(logits.toFloat32Array(), cnn.logits.data, 'logits', 1e-4, 1e-5);
    assert.deepEqual(Array.from(logits.argmax(1).toInt32Array()), cnn.predicted, 'predicted classes');
    // and back: the loaded weights saved again are PyTorch's file byte for byte
    assert.deepEqual(Buffer.from(torch.save(net.stateDict(), { metadata: { format: 'pt' } })), bytes);
    net.dispose();
  });
  const after = torch.memory();
  assert.deepEqual([after.liveTensors, after.bytesInUse], [before.liveTensors, before.bytesInUse], 'nothing left behind');
});

test('the wrong architecture (the second convolution without groups) is refused naming the weight', () => {
  torch.tidy(() => {
    const sd = torch.load(bytes);
    // without the groups, the second convolution's weight would be [12, 6, 3, 3], not the file's [12, 3, 3, 3]
    const wrong = new nn.Sequential(
      new nn.Conv2d(1, 6, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 12, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(48, 5));
    assert.throws(() => wrong.loadStateDict(sd), /3\.weight/);
    wrong.dispose();
  });
});
