import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Ajv, type ValidateFunction} from 'ajv';
import addFormats from 'ajv-formats';
import {describe, expect, it} from 'vitest';
import {deriveCrdSchemas, EMITTED_CRD_FILES} from '../../src/manifest/crd-schemas/derive.js';
import {type CustomResourceDefinition, crdJsonSchemas} from '../../src/manifest/crd-schemas/translate.js';
import {packagePath} from '../../src/util/paths.js';
import {crdDir} from './fixture.js';

const k8sDir = packagePath('schemas', 'k8s');
/** ajv takes a while to compile the large CRD schemas, more so on a busy machine. */
const COMPILE_TIMEOUT_MS = 120_000;

function strictAjv(): Ajv {
  const ajv = new Ajv({strict: true, allErrors: true});
  addFormats.default(ajv);
  return ajv;
}

/** Each committed schema compiled once, by an ajv of its own (strict, draft-07, the validator's settings). */
const compiled = new Map<string, ValidateFunction>();
const shared = strictAjv();
function committedValidator(file: string): ValidateFunction {
  if (!compiled.has(file)) compiled.set(file, shared.compile(JSON.parse(readFileSync(join(k8sDir, file), 'utf8')) as object));
  return compiled.get(file)!;
}

describe('schemas derived from the upstream CRDs', () => {
  const derived = deriveCrdSchemas(crdDir);

  it('are committed and up to date: a fresh derivation gives the same bytes, and nothing else is in schemas/k8s', () => {
    expect(derived.map((schema) => schema.fileName).sort()).toEqual([
      'dynamographdeployment-v1alpha1.schema.json',
      'dynamographdeployment-v1beta1.schema.json',
      'dynamographdeploymentrequest-v1alpha1.schema.json',
      'dynamographdeploymentrequest-v1beta1.schema.json',
    ]);
    for (const {fileName, text} of derived) expect(readFileSync(join(k8sDir, fileName), 'utf8'), `schemas/k8s/${fileName} is stale: run npx tsx src/manifest/crd-schemas/derive.ts ../shared/reference/crds`).toBe(text);
    expect(readdirSync(k8sDir).sort()).toEqual([...derived.map((schema) => schema.fileName), 'configmap-v1.schema.json'].sort());
  });

  it('record the upstream file, commit and the sha256 of the CRD they came from', () => {
    for (const file of EMITTED_CRD_FILES) {
      const sha = createHash('sha256').update(readFileSync(join(crdDir, file))).digest('hex');
      const mine = derived.filter(({text}) => text.includes(file));
      expect(mine).toHaveLength(2);
      for (const {text} of mine) expect((JSON.parse(text) as {$comment: string}).$comment).toContain(`ai-dynamo/dynamo@2a6da14 deploy/operator/config/crd/bases/${file} (sha256 ${sha})`);
    }
  });

  it('compile in ajv strict mode, the hand-written ConfigMap schema too', () => {
    for (const file of readdirSync(k8sDir)) expect(() => committedValidator(file), file).not.toThrow();
  }, COMPILE_TIMEOUT_MS);

  it('accept upstream example manifests: the v1beta1 DGDR sample and planner example, the legacy v1alpha1 DGDR, the vLLM disagg template DGD', () => {
    const check = (file: string, manifest: unknown) => {
      const validate = committedValidator(file);
      expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    };
    check('dynamographdeploymentrequest-v1beta1.schema.json', {
      apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: {name: 'example-llm-sla'},
      spec: {model: 'Qwen/Qwen3-0.6B', backend: 'trtllm', image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0', searchStrategy: 'thorough', hardware: {numGpusPerNode: 8, gpuSku: 'h200_sxm'}, workload: {isl: 3000, osl: 500}, sla: {ttft: 50.0, itl: 10.0}, autoApply: true},
    });
    check('dynamographdeploymentrequest-v1beta1.schema.json', {
      apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: {name: 'qwen-planner'},
      spec: {model: 'Qwen/Qwen3-0.6B', backend: 'vllm', searchStrategy: 'rapid', workload: {isl: 4000, osl: 1000, requestRate: 10}, sla: {ttft: 500, itl: 50}, features: {planner: {optimization_target: 'sla', enable_throughput_scaling: true, enable_load_scaling: false, pre_deployment_sweeping_mode: 'rapid', mode: 'disagg', backend: 'vllm'}}, autoApply: true},
    });
    check('dynamographdeploymentrequest-v1alpha1.schema.json', {
      apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentRequest', metadata: {name: 'sla-online'},
      spec: {model: 'Qwen/Qwen3-0.6B', backend: 'vllm', profilingConfig: {profilerImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.7.0.post1', config: {sweep: {use_ai_configurator: false}, sla: {isl: 3000, osl: 150, ttft: 200.0, itl: 20.0}}}, deploymentOverrides: {workersImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.7.0.post1'}, autoApply: true},
    });
    const container = (args: string[], gpus?: string) => ({name: 'main', image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1', command: ['python3', '-m', 'dynamo.vllm'], args, envFrom: [{secretRef: {name: 'hf-token-secret'}}], ...(gpus ? {resources: {limits: {'nvidia.com/gpu': gpus}, requests: {'ephemeral-storage': '2Gi'}}} : {}), workingDir: '/workspace/examples/backends/vllm'});
    check('dynamographdeployment-v1beta1.schema.json', {
      apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: {name: 'vllm-disagg'},
      spec: {components: [
        {name: 'Frontend', podTemplate: {spec: {containers: [{name: 'main', image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1', command: ['python3'], args: ['-m', 'dynamo.frontend']}]}}, replicas: 1, type: 'frontend'},
        {name: 'VllmDecodeWorker', podTemplate: {spec: {containers: [container(['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'decode'], '1')]}}, replicas: 1, type: 'decode'},
      ]},
    });
  });
});

describe('translating Kubernetes structural schemas', () => {
  const crd: CustomResourceDefinition = {
    kind: 'CustomResourceDefinition',
    spec: {
      group: 'example.com',
      names: {kind: 'Widget', singular: 'widget'},
      versions: [
        {name: 'v1', served: false, schema: {openAPIV3Schema: {type: 'object'}}},
        {
          name: 'v2',
          served: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: {type: 'string'},
                kind: {type: 'string'},
                metadata: {type: 'object'},
                spec: {
                  type: 'object',
                  description: 'dropped',
                  'x-kubernetes-validations': [{rule: 'self.size > 0'}],
                  properties: {
                    closed: {type: 'object', properties: {a: {type: 'integer', format: 'int32', default: 3}}},
                    open: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
                    quantity: {'x-kubernetes-int-or-string': true, anyOf: [{type: 'integer'}, {type: 'string'}], pattern: '^[0-9]+m?$'},
                    embedded: {type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true},
                    maybe: {type: 'string', nullable: true, format: 'not-a-known-format'},
                    tags: {type: 'array', items: {type: 'string'}, 'x-kubernetes-list-type': 'set'},
                    labels: {type: 'object', additionalProperties: {type: 'string'}},
                  },
                },
                status: {type: 'object', properties: {ready: {type: 'boolean'}}},
              },
            },
          },
        },
      ],
    },
  };
  const [widget, ...others] = crdJsonSchemas(crd, {repository: 'r', commit: 'c', file: 'f.yaml', sha256: 'abc'}, (format) => format === 'int32');
  const validate = strictAjv().compile(widget!.schema);
  const base = {apiVersion: 'example.com/v2', kind: 'Widget', metadata: {name: 'w'}};
  const accepts = (spec: unknown, extra: object = {}) => validate({...base, spec, ...extra});

  it('derives served versions only, named after the singular and the version', () => {
    expect(others).toHaveLength(0);
    expect(widget).toMatchObject({fileName: 'widget-v2.schema.json', kind: 'Widget', apiVersion: 'example.com/v2'});
  });

  it('closes objects Kubernetes would prune, and leaves preserve-unknown-fields objects and maps open', () => {
    expect(accepts({closed: {a: 1}, open: {anything: {goes: [1]}}, labels: {x: 'y'}})).toBe(true);
    expect(accepts({closed: {a: 1, b: 2}})).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({keyword: 'additionalProperties', instancePath: '/spec/closed', params: {additionalProperty: 'b'}});
    expect(accepts({unknown: 1})).toBe(false);
    expect(validate({...base, extra: 1})).toBe(false);
  });

  it('keeps known formats and drops unknown ones, defaults and descriptions', () => {
    expect(accepts({closed: {a: 2 ** 31}})).toBe(false);
    expect(accepts({maybe: 'anything'})).toBe(true);
    expect(JSON.stringify(widget!.schema)).not.toMatch(/"description"|"default"|x-kubernetes/);
  });

  it('int-or-string: integers, or strings under the pattern', () => {
    expect(accepts({quantity: 5})).toBe(true);
    expect(accepts({quantity: '500m'})).toBe(true);
    expect(accepts({quantity: 'lots'})).toBe(false);
    expect(accepts({quantity: 1.5})).toBe(false);
  });

  it('embedded resources need apiVersion and kind, and their metadata is ObjectMeta', () => {
    expect(accepts({embedded: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', labels: {a: 'b'}}, spec: {free: true}}})).toBe(true);
    expect(accepts({embedded: {kind: 'Pod'}})).toBe(false);
    expect(accepts({embedded: {apiVersion: 'v1', kind: 'Pod', metadata: {uid: 'x'}}})).toBe(false);
  });

  it('nullable admits null; a set list must hold unique items', () => {
    expect(accepts({maybe: null})).toBe(true);
    expect(accepts({tags: ['a', 'b']})).toBe(true);
    expect(accepts({tags: ['a', 'a']})).toBe(false);
  });

  it('pins apiVersion and kind, requires a named ObjectMeta, and rejects a status', () => {
    expect(validate({...base, apiVersion: 'example.com/v1'})).toBe(false);
    expect(validate({...base, kind: 'Gadget'})).toBe(false);
    expect(validate({...base, metadata: {}})).toBe(false);
    expect(validate({...base, metadata: {name: 'w', generation: 2}})).toBe(false);
    expect(accepts({}, {status: {ready: true}})).toBe(false);
  });
});
