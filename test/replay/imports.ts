export {gpuSecondsUntil, peakGpus, runReplay} from '../../src/replay/index.js';
export {scaleRate as scaleRateForTest} from '../../src/replay/scale-load.js';
