// The Kubernetes connector: scales a DynamoGraphDeployment's prefill/decode/agg components through their
// DynamoGraphDeploymentScalingAdapters' scale subresource (the route Dynamo's own planner takes), falling back to a
// patch of the DGD when a component has no adapter, and never lets the fleet's GPUs pass the budget on the way.
import {badInput, DynamoPlanError, ExitCode} from '../../../errors/errors.js';
import type {Connector, ReplicaCounts, ReplicaTargets} from '../types.js';
import {type KubeClient, kubeStatusError} from './client.js';
import {type DgdComponent, type DgdView, readDgd, type ScalableRole} from './dgd.js';

export interface KubernetesConnectorOptions {
  client: KubeClient;
  namespace: string;
  /** metadata.name of the DynamoGraphDeployment (Dynamo reads it from DYN_PARENT_DGD_K8S_NAME). */
  dgdName: string;
  /** Component names per role; recognised from the DGD (type/subComponentType, then legacy names) when absent. */
  componentNames?: Partial<Record<ScalableRole, string>>;
  /** GPUs one engine of each role takes (default 1). */
  gpusPerEngine?: Partial<Record<ScalableRole, number>>;
  /** Most GPUs the components may hold at any moment; undefined or negative disables the check. */
  maxGpuBudget?: number;
  /** How long a scale-up waits for scaled-down pods to release their GPUs, and how often it looks (ms). */
  settle?: {timeoutMs: number; pollMs: number};
}

const ROLES: ScalableRole[] = ['prefill', 'decode', 'agg'];
const GROUP = 'nvidia.com';
/** Newest first: v1beta1 is the storage version; operators before it serve v1alpha1 only. */
const VERSIONS = ['v1beta1', 'v1alpha1'];

export class KubernetesConnector implements Connector {
  readonly name = 'kubernetes' as const;
  private version: string | undefined;

  constructor(private readonly options: KubernetesConnectorOptions) {}

  async counts(signal?: AbortSignal): Promise<ReplicaCounts> {
    const view = await this.read(signal);
    const counts: ReplicaCounts = {ready: {}, expected: {}};
    for (const component of Object.values(view.components)) {
      counts.ready[component.role] = component.ready;
      counts.expected[component.role] = component.desired;
    }
    return counts;
  }

  /**
   * Scale-downs go first; each scale-up then waits until the GPUs held by live pods (terminating ones included) plus
   * its own new total fit the budget, so a rebalance never holds more GPUs than allowed, even for a moment.
   */
  async scale(targets: ReplicaTargets, signal?: AbortSignal): Promise<void> {
    const view = await this.read(signal);
    const changes: {component: DgdComponent; to: number}[] = [];
    for (const role of ROLES) {
      const to = targets[role];
      if (to === undefined) continue;
      if (!Number.isInteger(to) || to < 0) throw badInput(`Replica target ${to} for ${role} is not a whole number >= 0.`, 'This is a planner bug; report it.', 'E_BAD_TARGET');
      const component = view.components[role];
      if (!component) throw badInput(`DynamoGraphDeployment ${this.options.dgdName} has no ${role} component.`, `Name it in the connector's component names (found: ${this.describe(view)}).`, 'E_KUBE_COMPONENT');
      if (component.desired !== to) changes.push({component, to});
    }
    const budget = this.options.maxGpuBudget;
    if (budget !== undefined && budget >= 0) {
      const finalGpus = Object.values(view.components).reduce((sum, component) =>
        sum + this.gpus(component.role) * (changes.find((change) => change.component === component)?.to ?? component.desired), 0);
      if (finalGpus > budget) {
        throw new DynamoPlanError(`Scaling to ${JSON.stringify(targets)} would use ${finalGpus} GPUs, over the budget of ${budget}.`,
          {code: 'E_OVER_BUDGET', exitCode: ExitCode.badInput, hint: 'Lower the targets or raise max_gpu_budget.'});
      }
    }
    changes.sort((a, b) => (a.to - a.component.desired) - (b.to - b.component.desired));
    for (const change of changes) {
      if (change.to > change.component.desired) await this.waitForRoom(change.component.role, change.to, signal);
      await this.setReplicas(view, change.component, change.to, signal);
    }
  }

  async close(): Promise<void> {
    await this.options.client.close();
  }

  private gpus(role: ScalableRole): number {
    return this.options.gpusPerEngine?.[role] ?? 1;
  }

  private describe(view: DgdView): string {
    return Object.values(view.components).map((component) => `${component.role}=${component.name}`).join(', ') || 'none recognised';
  }

  private async waitForRoom(role: ScalableRole, to: number, signal?: AbortSignal): Promise<void> {
    const budget = this.options.maxGpuBudget;
    if (budget === undefined || budget < 0) return;
    const {timeoutMs, pollMs} = this.options.settle ?? {timeoutMs: 120_000, pollMs: 2000};
    const started = Date.now();
    for (;;) {
      const view = await this.read(signal);
      const held = Object.values(view.components).reduce((sum, component) => {
        const replicas = component.role === role ? Math.max(to, component.live ?? 0) : Math.max(component.desired, component.live ?? component.desired);
        return sum + this.gpus(component.role) * replicas;
      }, 0);
      if (held <= budget) return;
      if (Date.now() - started >= timeoutMs) {
        throw new DynamoPlanError(`Scale-up of ${role} to ${to} deferred: pods still hold ${held} GPUs of a ${budget}-GPU budget after ${timeoutMs} ms.`,
          {code: 'E_SCALE_DEFERRED', exitCode: ExitCode.unreachable, hint: 'Scaled-down pods are still terminating; the next tick will try again.'});
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async setReplicas(view: DgdView, component: DgdComponent, replicas: number, signal?: AbortSignal): Promise<void> {
    const {client, namespace, dgdName} = this.options;
    const version = this.version ?? VERSIONS[0]!;
    const adapter = `/apis/${GROUP}/${version}/namespaces/${namespace}/dynamographdeploymentscalingadapters/${dgdName}-${component.name.toLowerCase()}/scale`;
    const viaAdapter = await client.patch(adapter, {spec: {replicas}}, 'merge', signal);
    if (viaAdapter.status < 300) return;
    if (viaAdapter.status !== 404) throw kubeStatusError('PATCH', adapter, viaAdapter);
    // No adapter for this component: patch the DGD. A merge patch would replace v1beta1's whole components list
    // (and race other writers), so that case uses a JSON patch whose `test` guards the index.
    const path = this.dgdPath(version);
    const response = component.index !== undefined
      ? await client.patch(path, [
        {op: 'test', path: `/spec/components/${component.index}/name`, value: component.name},
        {op: 'add', path: `/spec/components/${component.index}/replicas`, value: replicas},
      ], 'json', signal)
      : await client.patch(path, {spec: {services: {[component.name]: {replicas}}}}, 'merge', signal);
    if (response.status >= 300) throw kubeStatusError('PATCH', path, response);
  }

  private dgdPath(version: string): string {
    return `/apis/${GROUP}/${version}/namespaces/${this.options.namespace}/dynamographdeployments/${this.options.dgdName}`;
  }

  /** The DGD as the planner sees it (components per role, replicas, readiness), at the newest version served. */
  async read(signal?: AbortSignal): Promise<DgdView> {
    const versions = this.version ? [this.version] : VERSIONS;
    for (const [index, version] of versions.entries()) {
      const path = this.dgdPath(version);
      const response = await this.options.client.get(path, signal);
      if (response.status === 404 && index < versions.length - 1) continue;
      if (response.status >= 300) throw kubeStatusError('GET', path, response);
      this.version = version;
      return readDgd(response.json, this.options.componentNames);
    }
    throw new Error('unreachable: the last version either answers or throws');
  }
}
