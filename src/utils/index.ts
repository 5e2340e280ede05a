// torch.utils: the data-loading helpers.
/** Datasets and the DataLoader. PyTorch: `torch.utils.data`. */
export * as data from './data.js';
