import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {inClusterAccess, type KubeAccess, kubeconfigAccess} from '../../../src/planner/connectors/kubernetes/access.js';
import {KubeClient} from '../../../src/planner/connectors/kubernetes/client.js';
import {KubernetesConnector} from '../../../src/planner/connectors/kubernetes/connector.js';
import {discoverKubernetesEngines} from '../../../src/planner/observe/discovery.js';
import {selfSignedCertificate} from '../../engine/openai-http/crafted-server.js';
import {FakeKubeApi, type FakeKubeOptions, v1alpha1Dgd, v1beta1Dgd} from './fake-kube-api.js';

let tls: {key: string; cert: string};
let clientPair: {key: string; cert: string};
let dir = '';
let api: FakeKubeApi | undefined;
const clients: KubeClient[] = [];

beforeAll(() => {
  tls = selfSignedCertificate();
  clientPair = selfSignedCertificate();
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-kube-'));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));
afterEach(async () => {
  await api?.close();
  api = undefined;
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function setUp(options: Partial<FakeKubeOptions> & Pick<FakeKubeOptions, 'dgd'>, budget?: number, access: Partial<KubeAccess> = {}) {
  api = await new FakeKubeApi({tls, versions: ['v1beta1', 'v1alpha1'], adapters: ['VllmPrefillWorker', 'VllmDecodeWorker'], ...options}).start();
  const client = new KubeClient({server: api.url, ca: tls.cert, token: 'sekret', ...access}, {retry: {attempts: 4, baseDelayMs: 1, maxDelayMs: 5}});
  clients.push(client);
  const connector = new KubernetesConnector({client, namespace: 'ns', dgdName: 'llm', maxGpuBudget: budget, gpusPerEngine: {prefill: 1, decode: 2}, settle: {timeoutMs: 2000, pollMs: 5}});
  return {api, client, connector};
}

const patches = (fake: FakeKubeApi) => fake.requests.filter((request) => request.method === 'PATCH');

describe('KubernetesConnector', () => {
  it('scales through the adapters\' scale subresource with a bearer token over the cluster CA, reading counts from status', async () => {
    const {api, connector} = await setUp({dgd: v1beta1Dgd(1, 1)});
    expect(await connector.counts()).toEqual({ready: {prefill: 1, decode: 1}, expected: {prefill: 1, decode: 1}});
    await connector.scale({prefill: 3});
    const [patch] = patches(api);
    expect(patch).toMatchObject({path: '/apis/nvidia.com/v1beta1/namespaces/ns/dynamographdeploymentscalingadapters/llm-vllmprefillworker/scale',
      contentType: 'application/merge-patch+json', body: {spec: {replicas: 3}}, authorization: 'Bearer sekret'});
    expect(patches(api)).toHaveLength(1);
    expect(await connector.counts()).toEqual({ready: {prefill: 1, decode: 1}, expected: {prefill: 3, decode: 1}});
    // Unchanged roles are not touched.
    await connector.scale({prefill: 3, decode: 1});
    expect(patches(api)).toHaveLength(1);
  });

  it('falls back on 404 to a guarded JSON patch of v1beta1 spec.components[]', async () => {
    const {api, connector} = await setUp({dgd: v1beta1Dgd(1, 1), adapters: []});
    await connector.scale({decode: 2});
    const [adapter, fallback] = patches(api);
    expect(adapter!.path).toMatch(/dynamographdeploymentscalingadapters\/llm-vllmdecodeworker\/scale$/);
    expect(fallback).toMatchObject({path: '/apis/nvidia.com/v1beta1/namespaces/ns/dynamographdeployments/llm', contentType: 'application/json-patch+json',
      body: [{op: 'test', path: '/spec/components/2/name', value: 'VllmDecodeWorker'}, {op: 'add', path: '/spec/components/2/replicas', value: 2}]});
    expect(api.dgd.spec.components[2].replicas).toBe(2);
  });

  it('falls back to a merge patch of v1alpha1 spec.services when only v1alpha1 is served', async () => {
    const {api, connector} = await setUp({dgd: v1alpha1Dgd(2, 1), versions: ['v1alpha1'], adapters: []});
    expect((await connector.counts()).expected).toEqual({prefill: 2, decode: 1});
    await connector.scale({prefill: 1});
    expect(patches(api).at(-1)).toMatchObject({path: '/apis/nvidia.com/v1alpha1/namespaces/ns/dynamographdeployments/llm',
      contentType: 'application/merge-patch+json', body: {spec: {services: {prefill: {replicas: 1}}}}});
    expect(api.dgd.spec.services.prefill.replicas).toBe(1);
  });

  it('retries 409, 429 and 500 with backoff, then succeeds', async () => {
    const {api, connector} = await setUp({dgd: v1beta1Dgd(1, 1)});
    api.failures.push({status: 500, method: 'GET'}, {status: 409, method: 'PATCH'}, {status: 429, retryAfter: '0', method: 'PATCH'}, {status: 500, method: 'PATCH'});
    await connector.scale({prefill: 2});
    expect(patches(api)).toHaveLength(4);
    expect(api.requests.filter((request) => request.method === 'GET')).toHaveLength(2);
    expect(api.dgd.spec.components[1].replicas).toBe(2);
  });

  it('gives up after its attempts with an error naming the status', async () => {
    const {api, connector} = await setUp({dgd: v1beta1Dgd(1, 1)});
    api.failures.push(...Array.from({length: 4}, () => ({status: 503, method: 'PATCH'})));
    const error = await connector.scale({prefill: 2}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect((error as DynamoPlanError).message).toMatch(/^Kubernetes API answered 503 to PATCH .*: scripted 503$/);
    expect(patches(api)).toHaveLength(4);
  });

  it('refuses targets over the GPU budget without patching anything', async () => {
    const {api, connector} = await setUp({dgd: v1beta1Dgd(1, 1)}, 4);
    const error = await connector.scale({prefill: 2, decode: 2}).catch((caught: unknown) => caught);
    expect((error as DynamoPlanError).code).toBe('E_OVER_BUDGET');
    expect(patches(api)).toHaveLength(0);
  });

  it('rebalances within the budget: scale-down first, scale-up only once the old pods have released their GPUs', async () => {
    // prefill 1 GPU, decode 2 GPUs; budget 6. From 2P+2D (6) to 4P+1D (6).
    const {api, connector} = await setUp({dgd: v1beta1Dgd(2, 2), terminationLag: 3}, 6);
    await connector.scale({prefill: 4, decode: 1});
    const order = patches(api).map((request) => [request.path.split('/').at(-2), (request.body as {spec: {replicas: number}}).spec.replicas]);
    expect(order).toEqual([['llm-vllmdecodeworker', 1], ['llm-vllmprefillworker', 4]]);
    // Between the two patches the connector read the DGD until the decode pod was gone.
    const firstPatch = api.requests.indexOf(patches(api)[0]!);
    const secondPatch = api.requests.indexOf(patches(api)[1]!);
    const readsBetween = api.requests.slice(firstPatch + 1, secondPatch).filter((request) => request.method === 'GET');
    expect(readsBetween.length).toBeGreaterThanOrEqual(4);
  });

  it('defers a scale-up whose GPUs are still held when the settle time runs out', async () => {
    const {api, client} = await setUp({dgd: v1beta1Dgd(2, 2), terminationLag: 1_000_000}, 6);
    const connector = new KubernetesConnector({client, namespace: 'ns', dgdName: 'llm', maxGpuBudget: 6, gpusPerEngine: {prefill: 1, decode: 2}, settle: {timeoutMs: 30, pollMs: 5}});
    const error = await connector.scale({prefill: 4, decode: 1}).catch((caught: unknown) => caught);
    expect((error as DynamoPlanError).code).toBe('E_SCALE_DEFERRED');
    expect(patches(api)).toHaveLength(1);
  });

  it('authenticates with a client certificate from a kubeconfig', async () => {
    api = await new FakeKubeApi({tls, versions: ['v1beta1'], adapters: [], dgd: v1beta1Dgd(1, 1), requestCert: true}).start();
    writeFileSync(join(dir, 'client.crt'), clientPair.cert);
    writeFileSync(join(dir, 'client.key'), clientPair.key);
    const path = join(dir, 'cert-config');
    writeFileSync(path, `apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: ns}
clusters:
- name: c1
  cluster:
    server: ${api.url}/
    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}
users:
- name: u1
  user: {client-certificate: client.crt, client-key: client.key}
`);
    const access = kubeconfigAccess(path);
    expect(access).toMatchObject({server: api.url, namespace: 'ns', ca: tls.cert, cert: clientPair.cert, key: clientPair.key});
    const client = new KubeClient(access);
    clients.push(client);
    expect((await client.get('/apis/nvidia.com/v1beta1/namespaces/ns/dynamographdeployments/llm')).status).toBe(200);
    expect(api.requests[0]).toMatchObject({clientCertSubject: 'localhost', authorization: undefined});
  });

  it('lists running, ready pods of each component as engines to scrape', async () => {
    const {api, client} = await setUp({dgd: v1beta1Dgd(1, 2)});
    const pod = (name: string, ip: string, extra: Record<string, unknown> = {}) => ({metadata: {name}, spec: {containers: [{ports: [{name: 'system', containerPort: 9345}]}]},
      status: {phase: 'Running', podIP: ip, conditions: [{type: 'Ready', status: 'True'}]}, ...extra});
    api.podsByComponent = {
      VllmDecodeWorker: [pod('decode-a', '10.0.0.2'), pod('decode-b', '10.0.0.3', {metadata: {name: 'decode-b', deletionTimestamp: '2026-01-01T00:00:00Z'}})],
      VllmPrefillWorker: [pod('prefill-a', '10.0.0.1'), {metadata: {name: 'prefill-pending'}, status: {phase: 'Pending'}}],
    };
    const {engines, issues} = await discoverKubernetesEngines({client, namespace: 'ns', dgdName: 'llm', components: {prefill: 'VllmPrefillWorker', decode: 'VllmDecodeWorker'}});
    expect(issues).toEqual([]);
    expect(engines).toEqual([{id: 'decode-a', url: 'http://10.0.0.2:9345', role: 'decode'}, {id: 'prefill-a', url: 'http://10.0.0.1:9345', role: 'prefill'}]);
    expect(api.requests.map((request) => request.path)).toContain(`/api/v1/namespaces/ns/pods?labelSelector=${encodeURIComponent('nvidia.com/dynamo-graph-deployment-name=llm,nvidia.com/dynamo-component=VllmDecodeWorker')}`);
  });
});

describe('Kubernetes access', () => {
  it('reads the in-cluster service account', () => {
    const saDir = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(saDir, 'token'), 'tok\n');
    writeFileSync(join(saDir, 'ca.crt'), 'PEM');
    writeFileSync(join(saDir, 'namespace'), 'serving\n');
    expect(inClusterAccess({KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '6443'}, saDir)).toEqual({
      server: 'https://10.96.0.1:6443', tokenFile: join(saDir, 'token'), ca: 'PEM', namespace: 'serving'});
    expect(inClusterAccess({}, saDir)).toBeUndefined();
  });

  it('picks the named context and refuses exec plugins with a clear error', () => {
    const path = join(dir, 'multi-config');
    writeFileSync(path, `current-context: a
contexts:
- {name: a, context: {cluster: ca, user: ua}}
- {name: b, context: {cluster: cb, user: ub}}
clusters:
- {name: ca, cluster: {server: 'https://a:6443', insecure-skip-tls-verify: true}}
- {name: cb, cluster: {server: 'https://b:6443'}}
users:
- {name: ua, user: {token: ta}}
- {name: ub, user: {exec: {command: aws}}}
`);
    expect(kubeconfigAccess(path)).toEqual({server: 'https://a:6443', insecureSkipTlsVerify: true, token: 'ta'});
    expect(() => kubeconfigAccess(path, 'b')).toThrow(/exec or auth-provider plugin/);
    expect(() => kubeconfigAccess(path, 'zz')).toThrow(/no context named zz/);
  });
});
