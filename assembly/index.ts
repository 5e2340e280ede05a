// The WebAssembly ABI: every export the TypeScript side binds (src/runtime/kernels.ts).
export { alloc, free, memoryBytes } from './heap';
export { unary, unaryBackward, binaryRun, fill, axpy } from './elementwise';
export { binaryStrided, copyStrided } from './strided';
export { reduce, indexBackward } from './reduce';
export { reduceI32, prodBackward, tieBackward } from './reduce';
export { moments, momentsBackward, logsumexp, pnorm, pnormBackward } from './moments';
export { cumsum } from './cumsum';
export { gemm, gemmBias, gemmPackABytes, gemmPackBBytes } from './matmul';
export { softmax, softmaxBackward } from './softmax';
export { crossEntropyNd, crossEntropyNdBackward, crossEntropyProbsNd, crossEntropyProbsNdBackward, nllLoss, nllLossBackward,
         elementLoss, elementLossBackward, klDiv, klDivBackward, bce, bceBackward, bceLogits, bceLogitsBackward } from './loss';
export { sgd, adam, rmsprop } from './optim';
export { adagrad, adadelta, adamax, nadam, radam } from './optim';
export { indexCheck, copyToStrided, indexSelect, indexAdd, gather, scatter, triMask } from './indexing';
export { selectWhere, reduceBool } from './compare';
export { castFloatToInt } from './dtype';
export { convForward, convBackwardInput, convBackwardWeight, channelSum } from './conv';
export { depthwiseForward, depthwiseBackwardInput, depthwiseBackwardWeight } from './conv';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, adaptiveAvgPool2d, adaptiveAvgPool2dBackward } from './pool';
export { rowNorm, rowNormBackward, batchNorm, batchNormBackward } from './norm';
export { embeddingBackward, embeddingRenorm } from './embedding';
export { padIndexed, padIndexedBackward, upsampleNearest, upsampleNearestBackward, upsampleBilinear, upsampleBilinearBackward } from './resample';
export { maxPool2x2Backward } from './pool';
