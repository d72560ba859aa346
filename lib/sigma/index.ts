export { convertSigma, convertSigmaStrict, attackFromTags, negate, type SigmaConversion, type SigmaMetadata, type SigmaResult, type SigmaSource } from './convert';
export { readSigmaSources, SigmaPathError } from './load';
export { renderSigma, SIGMA_TARGETS, type SigmaTarget, type Rendered } from './render';
export { SigmaError } from './yaml';
