// torch.autograd's public names (src/index.ts exports this file as `autograd`).
export { detectAnomaly } from './grad_mode.js';
