import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {sizingFlags, sizingInputFromFlags} from '../src/cli/sizing-flags.js';
import {DEFAULT_WORKER_IMAGE, type DeploymentManifests, generateDeploymentManifests} from '../src/manifest/from-sizing.js';
import type {ManifestApiVersion} from '../src/manifest/index.js';

export default class Dgdr extends BaseCommand {
  static override summary = 'Size a deployment for an SLA and write its DynamoGraphDeploymentRequest manifest.';

  static override description = `Sizes exactly as \`dynamo-plan size\` does (same flags), then writes a Kubernetes manifest that deploys the answer with
NVIDIA Dynamo: a DynamoGraphDeploymentRequest (nvidia.com/v1beta1 by default) carrying the model, image, hardware,
workload and SLA, and in spec.overrides.dgd a DynamoGraphDeployment with the sized prefill/decode (or aggregated)
vLLM workers: replicas, GPU limits and tensor-parallel arguments. --planner embeds a PlannerConfig so a runtime
planner keeps the SLA as traffic moves; --with-profile-configmap adds our profile in Dynamo's planner-profile-data
form; --dgd-only writes just the DynamoGraphDeployment (kubectl apply it without the profiling step).

Every object is validated against the upstream CRD schema before it is written (fields the API server would drop
are errors), plus Dynamo's name rules (DNS-1123; DGD name + component name at most 45 characters). The same inputs
give the same bytes.`;

  static override examples = [
    {description: 'A DGDR for 10 req/s at the default SLA, to stdout', command: '<%= config.bin %> <%= command.id %> --request-rate 10'},
    {description: 'With the runtime planner and the profile ConfigMap, into a file', command: '<%= config.bin %> <%= command.id %> --profile out/70b-tp4 --request-rate 20 --ttft 300 --itl 25 --planner --with-profile-configmap --name llama70b --namespace llm -o llama70b.yaml'},
    {description: 'Only the DynamoGraphDeployment, legacy v1alpha1 shape', command: '<%= config.bin %> <%= command.id %> --request-rate 5 --dgd-only --api-version v1alpha1'},
  ];

  static override flags = {
    ...sizingFlags,
    name: Flags.string({description: 'Name of the DGDR and its DGD (DNS-1123; default: from the model name).', helpGroup: 'MANIFEST'}),
    namespace: Flags.string({description: 'Kubernetes namespace (default: none, so kubectl\'s current one).', helpGroup: 'MANIFEST'}),
    image: Flags.string({description: 'Worker runtime image.', default: DEFAULT_WORKER_IMAGE, helpGroup: 'MANIFEST'}),
    backend: Flags.string({description: 'Inference backend of the workers.', options: ['vllm'], default: 'vllm', helpGroup: 'MANIFEST'}),
    'gpu-sku': Flags.string({description: 'Dynamo\'s hardware.gpuSku, e.g. h200_sxm (default: the profiled GPU).', helpGroup: 'MANIFEST'}),
    planner: Flags.boolean({description: 'Embed a PlannerConfig (optimization_target sla, the TTFT/ITL targets, min_endpoint = --min-replicas, max_gpu_budget = --max-gpus).', helpGroup: 'MANIFEST'}),
    'api-version': Flags.string({description: 'CRD version to emit.', options: ['v1beta1', 'v1alpha1'], default: 'v1beta1', helpGroup: 'MANIFEST'}),
    'with-profile-configmap': Flags.boolean({description: 'Also emit a ConfigMap with the profile in Dynamo\'s planner-profile-data form.', helpGroup: 'MANIFEST'}),
    'dgd-only': Flags.boolean({description: 'Emit only the DynamoGraphDeployment, not a request for one.', helpGroup: 'MANIFEST'}),
    output: Flags.string({char: 'o', description: 'Write the YAML to this file (atomically) instead of stdout.', helpGroup: 'MANIFEST'}),
  };

  async run(): Promise<DeploymentManifests> {
    const {flags} = await this.parse(Dgdr);
    const result = generateDeploymentManifests(
      sizingInputFromFlags(flags),
      {
        name: flags.name,
        namespace: flags.namespace,
        image: flags.image,
        gpuSku: flags['gpu-sku'],
        gpusPerNode: flags['gpus-per-node'],
        planner: flags.planner,
        maxGpuBudget: flags['max-gpus'],
        minEndpoint: flags['min-replicas'],
        apiVersion: flags['api-version'] as ManifestApiVersion,
        dgdOnly: flags['dgd-only'],
        withProfileConfigMap: flags['with-profile-configmap'],
      },
      flags.output,
    );
    if (!this.jsonEnabled()) {
      if (result.file === undefined) this.log(result.yaml.trimEnd());
      else this.logToStderr(`Wrote ${result.objects.map((object) => object.kind).join(', ')} to ${result.file}: ${result.sizing.mode}, ${result.sizing.total_gpus} GPUs.`);
    }
    return result;
  }
}
