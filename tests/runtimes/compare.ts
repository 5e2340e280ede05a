// Compares a runtime's seed run (tests/runtimes/seed_steps.js) with Node's: bit for bit when both
// ran the same kernel build, to 1e-5 when only one used relaxed SIMD (FMA rounds differently).
import assert from 'node:assert/strict';
import * as torch from '../../src/index.js';
import { assertClose } from '../oracle.js';
// @ts-expect-error: plain JS shared with the other runtimes
import { seedLosses } from './seed_steps.js';

export interface SeedRun { losses: number[]; prediction: number; info: { relaxedSimd: boolean } }

const node = seedLosses(torch) as SeedRun;

export function assertSameAsNode(r: SeedRun, where: string): void {
  assert.equal(r.losses.length, node.losses.length, `${where}: number of steps`);
  assert.ok(r.losses[r.losses.length - 1] < r.losses[0], `${where}: loss falls ${r.losses}`);
  if (r.info.relaxedSimd === node.info.relaxedSimd) {
    assert.deepEqual(r.losses, node.losses, `${where}: losses equal Node's`);
    assert.equal(r.prediction, node.prediction, `${where}: prediction equals Node's`);
  } else {
    assertClose([...r.losses, r.prediction], [...node.losses, node.prediction], `${where} (relaxed SIMD) vs Node`, 1e-5, 1e-6);
  }
}
