// The messages between the demo page (main.ts) and its Web Worker (worker.ts). Types only.
import type { BackendInfo } from 'wasmtorch';
import type { Run } from '../compare_runs.js';
import type { ModelKind } from '../mnist_model.js';

/** One choice in a select box of the optimizer playground. */
export interface Choice { name: string; label: string; defaultLr?: number }

/** A finished playground run (compare_runs' Run): losses[i] before epoch i's step, final after the last. */
export type RunResult = Run;

export type ToWorker =
  | { type: 'mnist-start'; epochs: number; model: ModelKind }
  | { type: 'mnist-stop' }
  | { type: 'run'; id: number; optimizer: string; lr: number; loss: string };

export interface MnistProgress {
  type: 'mnist-progress';
  model: ModelKind; step: number; epoch: number; loss: number; trainAcc: number; testAcc: number | null; imagesPerSecond: number;
  samples?: { pixels: number[]; label: number; predicted: number }[];
}

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo; optimizers: Choice[]; losses: Choice[]; models: Choice[] }
  | MnistProgress
  | { type: 'mnist-state'; state: 'idle' | 'running' | 'stopped' | 'done'; step: number; epochs: number; model?: ModelKind; stepsPerEpoch?: number }
  | { type: 'run'; id: number; result: RunResult; ms: number }
  | { type: 'error'; id?: number; error: string };
