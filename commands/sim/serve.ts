import {Flags, ux} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {interruptSignal} from '../../src/cli/interrupt.js';
import {ExitCode} from '../../src/errors/errors.js';
import {startSimulator} from '../../src/sim/simulator.js';
import {simulatorFlags, simulatorOptionsFromFlags} from '../../src/cli/sim-flags.js';

export default class SimServe extends BaseCommand {
  static override summary = 'Serve a simulated vLLM engine over the OpenAI-compatible HTTP API.';

  static override description = `Starts a vLLM V1-compatible engine simulator: continuous batching, chunked prefill, paged KV cache with
preemption and prefix caching, timed by a roofline cost model of the chosen model on the chosen GPU (calibrated
against a real H200 profile). It speaks vLLM's wire protocol: /v1/completions and /v1/chat/completions (streaming
SSE and not), /v1/models, /tokenize, /health and /metrics with vLLM's metric names, so any OpenAI client, load
generator, Prometheus or planner can be pointed at it without a GPU.

Prints the URL when ready (with --port 0 the port is picked for you) and serves until Ctrl-C (exit 130) or SIGTERM
(exit 0). Fault-injection flags make it fail in controlled ways for testing clients.`;

  static override examples = [
    {description: 'Serve the calibrated default (Llama-3.1-8B FP8 on one H200) on port 8000', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'A 70B model on 4 H100s, on a port picked for you', command: '<%= config.bin %> <%= command.id %> --model meta-llama/Llama-3.1-70B-Instruct --gpu h100_sxm --tp 4 --port 0'},
    {description: 'Then stream a completion from it', command: `curl -N localhost:8000/v1/completions -H 'content-type: application/json' -d '{"model":"nvidia/Llama-3.1-8B-Instruct-FP8","prompt":"Hello","max_tokens":16,"stream":true}'`},
    {description: 'An engine that takes 5 s to start and fails 10% of requests', command: '<%= config.bin %> <%= command.id %> --startup-delay 5 --fault-error-rate 0.1'},
  ];

  static override flags = {
    ...simulatorFlags,
    host: Flags.string({description: 'Address to listen on.', default: '127.0.0.1'}),
    port: Flags.integer({description: 'Port to listen on; 0 picks a free port.', default: 8000, min: 0, max: 65_535}),
    'grpc-port': Flags.integer({description: 'Also serve KServe v2 (inference.GRPCInferenceService) and vLLM (vllm.grpc.engine.VllmEngine) gRPC on this port; 0 picks one.', min: 0, max: 65_535}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(SimServe);
    const interrupt = interruptSignal();
    const simulator = await startSimulator({...simulatorOptionsFromFlags(flags), host: flags.host, port: flags.port, grpcPort: flags['grpc-port']});
    const {info} = simulator;
    // One compact line, so scripts can read the first line of stdout and go.
    if (this.jsonEnabled()) ux.stdout(JSON.stringify(info));
    else {
      this.log(`dynamo-plan simulator serving ${info.servedModelName} at ${info.url}`);
      if (info.grpcUrl) this.log(`  gRPC (KServe v2 and vLLM) at ${info.grpcUrl}`);
      this.log(`  ${info.gpu} x${info.tp} (${info.role}), KV cache ${info.kvCapacityTokens} tokens in ${info.numGpuBlocks} blocks, ` +
        `max_num_seqs ${info.maxNumSeqs}, max_num_batched_tokens ${info.maxNumBatchedTokens}, max_model_len ${info.maxModelLen}`);
      this.log('  Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), {once: true}));
    await simulator.close();
    interrupt.dispose();
    if (interrupt.signalName() === 'SIGINT') this.exit(ExitCode.interrupted);
  }
}
