// Fitted TTFT and ITL models: candidate forms chosen by cross-validation, stored as plain JSON, and what sizing reads
// off them.
export {fitItl, type ItlFit, type ItlFitOptions, type ItlModel} from './fit-itl.js';
export {fitTtft, type TtftFit, type TtftFitOptions, type TtftModel} from './fit-ttft.js';
export {type DecodeBatch, ITL_FORM_NAMES, type ItlFormName} from './itl-forms.js';
export {FITTED_MODEL_SCHEMA, parseItlModel, parseTtftModel} from './parse-model.js';
export {itlAt, ttftAt} from './predict.js';
export {checkFitQuality} from './quality-gate.js';
export type {CandidateReport, Fit} from './select-model.js';
export {decodeTokensPerSecondPerGpu, maxBatchForItl, prefillTokensPerSecondPerGpu} from './throughput.js';
export {TTFT_FORM_NAMES, type TtftFormName} from './ttft-forms.js';
export type {DecodePoint, FitQuality, FittedModel, PrefillPoint} from './types.js';
export {leastCertain, type Uncertainty} from './uncertainty.js';
