// The load generator's pure parts: what to send and when, what each request recorded, and what the run measured.
export {constantRate, gamma, poisson} from './arrivals.js';
export {type GoodputSlo, meetsSlo, parseGoodput} from './goodput.js';
export {type LengthSpec, lengthSampler, type RequestLengths, withLengths} from './lengths.js';
export {buildPrompt, type BuiltPrompt, PromptBuilder, type PromptBuilderOptions, type SharedPrefix, type TokenCounter} from './prompts.js';
export {BENCH_RECORD_SCHEMA, type BenchRecord, readRecords, RecordWriter} from './records.js';
export {type RequestLatencies, requestLatencies} from './request-latencies.js';
export {RequestRecorder, type RequestStart} from './request-recorder.js';
export {checkLimit, type ConcurrencyLoad, concurrencyLoad, MOONCAKE_BLOCK_TOKENS, type PlannedRequest, type RequestLimit, type Schedule} from './schedule.js';
export {type MetricSummary, percentile, summarize} from './stats.js';
export {type BenchSummary, summarizeRecords} from './summary.js';
export {parseAzureTrace, parseMooncakeTrace, readAzureTrace, readMooncakeTrace, readTrace, type TraceFormat, type TraceOptions} from './traces.js';
