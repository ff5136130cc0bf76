// A stand-in Kubernetes API server over HTTPS (no cluster is reachable from the tests): one DynamoGraphDeployment, its
// scaling adapters' scale subresource, scripted failures, and pods that take a few status reads to terminate.
import {createServer, type Server} from 'node:https';
import type {AddressInfo} from 'node:net';
import type {TLSSocket} from 'node:tls';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
  clientCertSubject?: string;
}

export interface FakeKubeOptions {
  tls: {key: string; cert: string};
  /** API versions of the DGD the server serves. */
  versions: string[];
  /** The DGD object at the newest served version's shape. */
  dgd: Record<string, unknown>;
  /** Component names that have a scaling adapter. */
  adapters: string[];
  /** Status reads a scaled-down component keeps showing its old live replica count (terminating pods). */
  terminationLag?: number;
  requestCert?: boolean;
}

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  /** Statuses to answer with, in order, before handling requests (of `method`, when given) normally. */
  readonly failures: {status: number; retryAfter?: string; method?: string}[] = [];
  private readonly lag = new Map<string, number>();
  url = '';
  private server!: Server;

  constructor(private readonly options: FakeKubeOptions) {}

  get dgd(): Record<string, any> {
    return this.options.dgd;
  }

  async start(): Promise<this> {
    this.server = createServer({...this.options.tls, requestCert: this.options.requestCert ?? false, rejectUnauthorized: false}, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const peer = (req.socket as TLSSocket).getPeerCertificate?.();
        this.requests.push({method: req.method!, path: req.url!, authorization: req.headers.authorization, contentType: req.headers['content-type'] as string | undefined,
          body: text ? JSON.parse(text) : undefined, clientCertSubject: peer?.subject?.CN as string | undefined});
        const failure = this.failures[0] && (this.failures[0].method ?? req.method) === req.method ? this.failures.shift() : undefined;
        if (failure) {
          res.writeHead(failure.status, {'content-type': 'application/json', ...(failure.retryAfter ? {'retry-after': failure.retryAfter} : {})});
          res.end(JSON.stringify({kind: 'Status', message: `scripted ${failure.status}`}));
          return;
        }
        const [status, body] = this.route(req.method!, req.url!, text ? JSON.parse(text) : undefined);
        res.writeHead(status, {'content-type': 'application/json'});
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notFound(): [number, unknown] {
    return [404, {kind: 'Status', message: 'not found', code: 404}];
  }

  private route(method: string, path: string, body: any): [number, unknown] {
    const name = this.dgd.metadata.name as string;
    const dgdMatch = /^\/apis\/nvidia\.com\/(v1beta1|v1alpha1)\/namespaces\/ns\/dynamographdeployments\/([^/]+)$/.exec(path);
    if (dgdMatch) {
      if (!this.options.versions.includes(dgdMatch[1]!) || dgdMatch[2] !== name) return this.notFound();
      if (method === 'GET') return [200, this.withLaggedStatus()];
      if (method === 'PATCH') return this.patchDgd(body);
    }
    const adapterMatch = /^\/apis\/nvidia\.com\/(v1beta1|v1alpha1)\/namespaces\/ns\/dynamographdeploymentscalingadapters\/([^/]+)\/scale$/.exec(path);
    if (adapterMatch && method === 'PATCH') {
      const component = this.options.adapters.find((candidate) => `${name}-${candidate.toLowerCase()}` === adapterMatch[2]);
      if (!component) return this.notFound();
      this.setReplicas(component, body.spec.replicas);
      return [200, {kind: 'Scale', spec: {replicas: body.spec.replicas}}];
    }
    if (method === 'GET' && path.startsWith('/api/v1/namespaces/ns/pods?labelSelector=')) return [200, {items: this.pods(decodeURIComponent(path.split('=').slice(1).join('=')))}];
    return this.notFound();
  }

  /** Pods per component, listed by the selector's component label. */
  podsByComponent: Record<string, unknown[]> = {};

  private pods(selector: string): unknown[] {
    const component = /nvidia\.com\/dynamo-component=([^,]+)/.exec(selector)?.[1];
    return component ? this.podsByComponent[component] ?? [] : [];
  }

  private patchDgd(body: any): [number, unknown] {
    if (Array.isArray(body)) {
      for (const op of body) {
        const [, , index, field] = (op.path as string).split('/').slice(1);
        const component = this.dgd.spec.components[Number(index)];
        if (op.op === 'test' && component?.[field!] !== op.value) return [422, {message: 'test failed'}];
        if (op.op === 'add') this.setReplicas(component.name, op.value);
      }
      return [200, this.dgd];
    }
    for (const [service, patch] of Object.entries(body.spec.services as Record<string, {replicas: number}>)) this.setReplicas(service, patch.replicas);
    return [200, this.dgd];
  }

  setReplicas(component: string, replicas: number): void {
    const spec = this.dgd.spec;
    const entry = Array.isArray(spec.components) ? spec.components.find((c: any) => c.name === component) : spec.services[component];
    const statusKey = Array.isArray(spec.components) ? 'components' : 'services';
    const status = this.dgd.status[statusKey][component];
    if (replicas < entry.replicas && this.options.terminationLag) this.lag.set(component, this.options.terminationLag);
    entry.replicas = replicas;
    status.readyReplicas = Math.min(status.readyReplicas, replicas);
    if (!this.lag.has(component)) status.replicas = replicas;
    status.pendingReplicas = replicas;
  }

  /** The DGD, with a scaled-down component's live count catching up only after `terminationLag` reads. */
  private withLaggedStatus(): unknown {
    const statusKey = Array.isArray(this.dgd.spec.components) ? 'components' : 'services';
    for (const [component, left] of this.lag) {
      if (left <= 0) {
        this.dgd.status[statusKey][component].replicas = this.dgd.status[statusKey][component].pendingReplicas;
        this.lag.delete(component);
      } else this.lag.set(component, left - 1);
    }
    return JSON.parse(JSON.stringify(this.dgd));
  }
}

export function v1beta1Dgd(prefill: number, decode: number): Record<string, unknown> {
  return {
    apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: {name: 'llm', namespace: 'ns'},
    spec: {components: [
      {name: 'Frontend', type: 'frontend', replicas: 1},
      {name: 'VllmPrefillWorker', type: 'prefill', replicas: prefill},
      {name: 'VllmDecodeWorker', type: 'decode', replicas: decode},
    ]},
    status: {state: 'successful', conditions: [{type: 'Ready', status: 'True'}], components: {
      Frontend: {componentKind: 'Deployment', replicas: 1, updatedReplicas: 1, readyReplicas: 1},
      VllmPrefillWorker: {componentKind: 'Deployment', replicas: prefill, updatedReplicas: prefill, readyReplicas: prefill},
      VllmDecodeWorker: {componentKind: 'Deployment', replicas: decode, updatedReplicas: decode, readyReplicas: decode},
    }},
  };
}

export function v1alpha1Dgd(prefill: number, decode: number): Record<string, unknown> {
  return {
    apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: {name: 'llm', namespace: 'ns'},
    spec: {services: {
      Frontend: {componentType: 'frontend', replicas: 1},
      prefill: {componentType: 'worker', subComponentType: 'prefill', replicas: prefill},
      decode: {componentType: 'worker', subComponentType: 'decode', replicas: decode},
    }},
    status: {state: 'successful', conditions: [{type: 'Ready', status: 'True'}], services: {
      Frontend: {componentKind: 'Deployment', replicas: 1, updatedReplicas: 1, readyReplicas: 1},
      prefill: {componentKind: 'Deployment', replicas: prefill, updatedReplicas: prefill, readyReplicas: prefill},
      decode: {componentKind: 'Deployment', replicas: decode, updatedReplicas: decode, readyReplicas: decode},
    }},
  };
}
