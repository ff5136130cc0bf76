import {badInput} from '../errors/errors.js';

// What the CRD schemas cannot say but the API server, the operator or the scheduler enforce: DNS-1123 names, the
// operator's 45-character limit on DGD name + component name, whole GPU counts and replicas, and the CEL rules
// (x-kubernetes-validations) our manifests could break. Each failure names the object and the JSON pointer.

/** Longest DGD name + component name the operator accepts (its generated resource names must stay valid). */
export const MAX_DGD_AND_COMPONENT_NAME = 45;
const MAX_DNS_LABEL = 63;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A ConfigMap holds at most 1 MiB of data. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

type Json = Record<string, unknown>;

/** Throw a bad-input error for the first rule `object` breaks. `dgdrName` names the request a DGD is embedded in. */
export function checkManifestRules(object: Json, pointer = '', dgdrName?: string): void {
  const metadata = asObject(object.metadata);
  const kind = String(object.kind);
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const where = `${kind} ${name ?? dgdrName ?? ''}`.trim();
  const fail = (path: string, cause: string, hint: string, code = 'E_MANIFEST_INVALID'): never => {
    throw badInput(`${where}: ${pointer}${path} ${cause}`, hint, code);
  };
  if (name !== undefined) checkDnsLabel(name, '/metadata/name', '--name', fail);
  if (typeof metadata.namespace === 'string') checkDnsLabel(metadata.namespace, '/metadata/namespace', '--namespace', fail);

  if (kind === 'DynamoGraphDeployment') checkDgd(object, name ?? `${dgdrName}-dgd`, fail);
  if (kind === 'DynamoGraphDeploymentRequest') checkDgdr(object, fail);
  if (kind === 'ConfigMap') checkConfigMap(object, fail);
}

type Fail = (path: string, cause: string, hint: string, code?: string) => never;

function checkDnsLabel(value: string, path: string, flag: string, fail: Fail): void {
  if (value.length > MAX_DNS_LABEL) fail(path, `"${value}" is ${value.length} characters; Kubernetes allows at most ${MAX_DNS_LABEL}.`, `Shorten ${flag} to at most ${MAX_DNS_LABEL} characters.`, 'E_MANIFEST_NAME');
  if (!DNS_LABEL.test(value)) {
    const suggestion = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    fail(path, `"${value}" is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit).`, `Use ${flag} ${suggestion || 'my-model'}.`, 'E_MANIFEST_NAME');
  }
}

function checkDgd(dgd: Json, dgdName: string, fail: Fail): void {
  const spec = asObject(dgd.spec);
  const components: [string, string, Json][] = Array.isArray(spec.components)
    ? spec.components.map((component, index) => [`/spec/components/${index}`, String(asObject(component).name), asObject(component)])
    : Object.entries(asObject(spec.services)).map(([name, service]) => [`/spec/services/${escape(name)}`, name, asObject(service)]);
  const longest = Math.max(0, ...components.map(([, name]) => name.length));
  if (dgdName.length + longest > MAX_DGD_AND_COMPONENT_NAME) {
    const allowed = MAX_DGD_AND_COMPONENT_NAME - longest;
    fail('/metadata/name', `"${dgdName}" plus its longest component name (${longest} characters) is ${dgdName.length + longest} characters; Dynamo allows at most ${MAX_DGD_AND_COMPONENT_NAME}.`, `Shorten --name to at most ${allowed} characters.`, 'E_MANIFEST_NAME');
  }
  const seen = new Set<string>();
  for (const [path, name, component] of components) {
    if (seen.has(name.toLowerCase())) fail(`${path}/name`, `"${name}" repeats a component name (names must be unique, ignoring case).`, 'Give each component its own name.');
    seen.add(name.toLowerCase());
    checkWhole(component.replicas, `${path}/replicas`, 0, 'replicas', fail);
    if (component.multinode !== undefined) checkWhole(asObject(component.multinode).nodeCount, `${path}/multinode/nodeCount`, 2, 'nodeCount', fail);
    for (const [gpuPath, gpus] of gpuRequests(component)) checkGpus(gpus, `${path}${gpuPath}`, fail);
  }
}

/** Every GPU quantity a component asks for: v1beta1 containers' nvidia.com/gpu, v1alpha1 resources.gpu. */
function gpuRequests(component: Json): [string, unknown][] {
  const found: [string, unknown][] = [];
  const collect = (base: string, resources: Json, key: string) => {
    for (const section of ['limits', 'requests']) {
      const values = asObject(resources[section]);
      if (key in values) found.push([`${base}/${section}/${escape(key)}`, values[key]]);
    }
  };
  const containers = asObject(asObject(component.podTemplate).spec).containers;
  if (Array.isArray(containers)) containers.forEach((container, index) => collect(`/podTemplate/spec/containers/${index}/resources`, asObject(asObject(container).resources), 'nvidia.com/gpu'));
  collect('/resources', asObject(component.resources), 'gpu');
  return found;
}

function checkGpus(value: unknown, path: string, fail: Fail): void {
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    fail(path, `asks for ${JSON.stringify(value)} GPUs; a GPU count must be a whole number of at least 1.`, 'GPUs cannot be shared between engines: size with whole GPUs per engine.', 'E_MANIFEST_GPUS');
  }
}

function checkWhole(value: unknown, path: string, minimum: number, what: string, fail: Fail): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    fail(path, `is ${JSON.stringify(value)}; ${what} must be a whole number of at least ${minimum}.`, `Round ${what} up to a whole number.`, what === 'replicas' ? 'E_MANIFEST_REPLICAS' : 'E_MANIFEST_INVALID');
  }
}

function checkDgdr(dgdr: Json, fail: Fail): void {
  const spec = asObject(dgdr.spec);
  const hardware = asObject(spec.hardware);
  checkWhole(hardware.numGpusPerNode, '/spec/hardware/numGpusPerNode', 1, 'numGpusPerNode', fail);
  checkWhole(hardware.totalGpus, '/spec/hardware/totalGpus', 1, 'totalGpus', fail);
  const workload = asObject(spec.workload);
  if (workload.requestRate !== undefined && workload.concurrency !== undefined) {
    fail('/spec/workload', 'gives both requestRate and concurrency; Dynamo takes one or the other.', 'Pass --request-rate or --concurrency, not both.');
  }
  for (const field of ['isl', 'osl']) checkWhole(workload[field], `/spec/workload/${field}`, 1, field, fail);
  for (const field of ['ttft', 'itl']) {
    const value = asObject(spec.sla)[field];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) fail(`/spec/sla/${field}`, `is ${JSON.stringify(value)}; a latency target must be a positive number of milliseconds.`, `Pass a positive --${field}.`);
  }
}

function checkConfigMap(configMap: Json, fail: Fail): void {
  const bytes = Object.entries(asObject(configMap.data)).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)), 0);
  if (bytes > MAX_CONFIGMAP_BYTES) fail('/data', `holds ${bytes} bytes; a ConfigMap holds at most ${MAX_CONFIGMAP_BYTES}.`, 'Profile fewer points, or mount the profile from a volume instead.');
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** A JSON pointer token (RFC 6901). */
function escape(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
