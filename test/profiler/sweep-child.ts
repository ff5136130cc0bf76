// A sweep in a process of its own, for the test that kills it mid-sweep with SIGKILL.
// Usage: node --import tsx test/profiler/sweep-child.ts URL DIR CONFIG PLAN_JSON
import {createEngineClient} from '../../src/engine/create-client.js';
import {PromptBuilder} from '../../src/loadgen/prompts.js';
import {pointMeasurer} from '../../src/profiler/point-measurer.js';
import type {PointSpec} from '../../src/profiler/points.js';
import {RawPointLog} from '../../src/profiler/raw-point-log.js';
import {runSweep} from '../../src/profiler/sweep.js';

const [url, dir, config, planJson] = process.argv.slice(2) as [string, string, string, string];
const {client, tokenize} = await createEngineClient({api: 'completions', url, requestTimeoutS: 30, stallTimeoutS: 10});
const log = new RawPointLog(dir, config);
const measure = pointMeasurer({client, builder: new PromptBuilder({tokenize}), seed: 11, prefill: {samples: 2}, decode: {osl: 64}});
await runSweep({plan: JSON.parse(planJson) as PointSpec[], log, measure});
log.close();
await client.close();
