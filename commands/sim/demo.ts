import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {interruptSignal} from '../../src/cli/interrupt.js';
import {simulatorFlags, simulatorOptionsFromFlags} from '../../src/cli/sim-flags.js';
import {type DemoResult, runDemo} from '../../src/sim/demo.js';

export default class SimDemo extends BaseCommand {
  static override summary = 'Start a simulated engine, stream one chat completion from it, and show what it measured.';

  static override description = `A first look at the simulator in one command: it starts a simulated vLLM engine on a free local port,
streams one chat completion from it over real HTTP (server-sent events), prints the tokens as they arrive, then
reports the time to first token and inter-token latency seen by the client and a few of the engine's own
/metrics, and stops. Takes every engine flag of 'sim serve'.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --model Qwen/Qwen3-0.6B --gpu l4 --max-tokens 64',
    '<%= config.bin %> <%= command.id %> --json',
  ];

  static override flags = {
    ...simulatorFlags,
    prompt: Flags.string({description: 'The user message to send.', default: 'Explain in one paragraph why continuous batching raises LLM serving throughput.'}),
    'max-tokens': Flags.integer({description: 'Tokens to generate (ignore_eos is set, so exactly this many).', default: 48, min: 1}),
  };

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(SimDemo);
    const interrupt = interruptSignal();
    const json = this.jsonEnabled();
    try {
      const result = await runDemo({
        ...simulatorOptionsFromFlags(flags),
        host: '127.0.0.1',
        port: 0,
        prompt: flags.prompt,
        maxTokens: flags['max-tokens'],
        signal: interrupt.signal,
        onToken: json ? undefined : (text) => process.stdout.write(text),
      });
      if (!json) this.render(result);
      return result;
    } finally {
      interrupt.dispose();
    }
  }

  private render(result: DemoResult): void {
    const {simulator: sim} = result;
    this.log('\n');
    this.log(`Simulated ${sim.servedModelName} on ${sim.gpu} x${sim.tp} at ${sim.url} (now stopped)`);
    this.log(`  prompt ${result.usage.prompt_tokens} tokens, output ${result.usage.completion_tokens} tokens`);
    this.log(`  client-side TTFT ${result.ttftMs.toFixed(1)} ms, mean ITL ${result.meanItlMs.toFixed(2)} ms`);
    this.log('  engine /metrics after the request:');
    for (const [name, value] of Object.entries(result.metrics)) this.log(`    ${name} ${value}`);
    this.log('\nNext: `dynamo-plan sim serve` keeps an engine running for your own clients; see --help.');
  }
}
