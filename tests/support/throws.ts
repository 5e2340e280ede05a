// The error-path check every test file uses: the call throws the named error class with a message
// matching the pattern, and leaves no tensor and no byte of WebAssembly memory behind.
import assert from 'node:assert/strict';
import * as torch from '../../src/index.js';

/** fn throws `type` (a class or its name) matching `message`, and nothing leaked. */
export function throwsClean(fn: () => unknown, type: ErrorConstructor | string, message: RegExp): void {
  const name = typeof type === 'string' ? type : type.name;
  const before = torch.memory();
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, name, e.message);
    assert.match(e.message, message);
    return true;
  });
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors, `live tensors after: ${message}`);
  assert.equal(after.bytesInUse, before.bytesInUse, `bytes after: ${message}`);
}
