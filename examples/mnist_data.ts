// Parses examples/data/mnist.bin (after gunzip; see scripts/mnist-convert.mjs) into
// float pixels in [0, 1] and int32 labels, split into train and test. Node and browser share it.
export interface Split { x: Float32Array; y: Int32Array; count: number }
export interface Mnist { train: Split; test: Split }

export function parseMnist(bytes: Uint8Array): Mnist {
  if (bytes[0] !== 0x57 || bytes[1] !== 0x54 || bytes[2] !== 0x4d || bytes[3] !== 0x4e) throw new Error('parseMnist: not a wasmtorch MNIST file (magic "WTMN" missing)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true), nTrain = view.getUint32(8, true);
  const labels = bytes.subarray(12, 12 + n), pixels = bytes.subarray(12 + n, 12 + n + n * 784);
  const split = (from: number, to: number): Split => {
    const x = new Float32Array((to - from) * 784);
    for (let i = 0; i < x.length; i++) x[i] = pixels[from * 784 + i] / 255;
    return { x, y: Int32Array.from(labels.subarray(from, to)), count: to - from };
  };
  return { train: split(0, nTrain), test: split(nTrain, n) };
}
