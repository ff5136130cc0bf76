// The profiler's measurement primitives: one prefill or decode point on a live engine, raw.jsonl, and the sweep.
export {type DecodePointOptions, measureDecodePoint} from './decode-point.js';
export {JsonlAppender, readJsonl} from '../util/jsonl.js';
export {pointMeasurer, type PointMeasurerOptions} from './point-measurer.js';
export {type MeasuredDecodePoint, type MeasuredPoint, type MeasuredPrefillPoint, type PointError, pointKey, type PointSpec} from './points.js';
export {measurePrefillPoint, type PrefillPointOptions} from './prefill-point.js';
export {RAW_POINT_SCHEMA, RAW_POINTS_FILE, RawPointLog, type RawPointLine, readRawPoints} from './raw-point-log.js';
export {itlStats, type ItlStats, type SteadyDecode, steadyDecode} from './steady-window.js';
export {type MeasurePoint, runSweep, type SweepOptions, type SweepProgress} from './sweep.js';
