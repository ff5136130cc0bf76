// Which engines to scrape: a fixed list of URLs, or the running pods of a DynamoGraphDeployment's worker components.
import type {KubeClient} from '../connectors/kubernetes/client.js';
import type {ScalableRole} from '../connectors/kubernetes/dgd.js';
import type {EngineTarget} from './engine-observer.js';

/** Engines at fixed URLs, each its own worker id. */
export function staticEngines(urls: readonly string[], role: EngineTarget['role'] = 'agg'): EngineTarget[] {
  return urls.map((url) => ({id: url, url, role}));
}

export interface KubernetesDiscoveryOptions {
  client: KubeClient;
  namespace: string;
  dgdName: string;
  /** Component name per role (KubernetesConnector.read() finds them in the DGD). */
  components: Partial<Record<ScalableRole, string>>;
  /** Port of the engine's /metrics; default: the container port named `system` or `metrics`, else 9090. */
  port?: number;
  /** The pods of one component; default: the Dynamo operator's graph and component labels. */
  labelSelector?: (dgdName: string, component: string) => string;
}

const defaultSelector = (dgdName: string, component: string) =>
  `nvidia.com/dynamo-graph-deployment-name=${dgdName},nvidia.com/dynamo-component=${component}`;

interface PodJson {
  metadata?: {name?: string; deletionTimestamp?: string};
  spec?: {containers?: {ports?: {name?: string; containerPort?: number}[]}[]};
  status?: {phase?: string; podIP?: string; conditions?: {type?: string; status?: string}[]};
}

/** Ready, running, not terminating pods of each component; a failed listing is an issue, not a throw. */
export async function discoverKubernetesEngines(options: KubernetesDiscoveryOptions, signal?: AbortSignal): Promise<{engines: EngineTarget[]; issues: string[]}> {
  const engines: EngineTarget[] = [];
  const issues: string[] = [];
  const selector = options.labelSelector ?? defaultSelector;
  await Promise.all(Object.entries(options.components).map(async ([role, component]) => {
    const path = `/api/v1/namespaces/${options.namespace}/pods?labelSelector=${encodeURIComponent(selector(options.dgdName, component))}`;
    try {
      const response = await options.client.get(path, signal);
      if (response.status >= 300) {
        issues.push(`listing pods of ${component}: HTTP ${response.status}`);
        return;
      }
      for (const pod of ((response.json as {items?: PodJson[]} | undefined)?.items ?? [])) {
        const name = pod.metadata?.name;
        const ip = pod.status?.podIP;
        const ready = pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
        if (!name || !ip || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running' || !ready) continue;
        const ports = (pod.spec?.containers ?? []).flatMap((container) => container.ports ?? []);
        const port = options.port ?? ports.find((entry) => entry.name === 'system' || entry.name === 'metrics')?.containerPort ?? 9090;
        engines.push({id: name, url: `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`, role: role as ScalableRole});
      }
    } catch (error) {
      issues.push(`listing pods of ${component}: ${(error as Error).message}`);
    }
  }));
  engines.sort((a, b) => a.id.localeCompare(b.id));
  return {engines, issues};
}
