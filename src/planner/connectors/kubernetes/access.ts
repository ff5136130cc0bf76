// How to reach a Kubernetes API server: the pod's service account when running in a cluster, or a kubeconfig file.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, isAbsolute, join} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {badInput} from '../../../errors/errors.js';

export interface KubeAccess {
  /** https://host:port, no trailing slash. */
  server: string;
  /** PEM CA bundle that signs the server's certificate. */
  ca?: string;
  token?: string;
  /** Read on every request: projected service-account tokens rotate. */
  tokenFile?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  /** The context's (or the pod's) namespace, when it names one. */
  namespace?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster service account, or undefined when not running in a pod (no KUBERNETES_SERVICE_HOST). */
export function inClusterAccess(env: NodeJS.ProcessEnv = process.env, accountDir = SERVICE_ACCOUNT_DIR): KubeAccess | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) return undefined;
  const tokenFile = join(accountDir, 'token');
  if (!existsSync(tokenFile)) throw badInput(`KUBERNETES_SERVICE_HOST is set but ${tokenFile} does not exist.`, 'Mount the service account token (automountServiceAccountToken: true) or pass a kubeconfig.', 'E_KUBE_CONFIG');
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const caFile = join(accountDir, 'ca.crt');
  const namespaceFile = join(accountDir, 'namespace');
  const access: KubeAccess = {server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, tokenFile};
  if (existsSync(caFile)) access.ca = readFileSync(caFile, 'utf8');
  if (existsSync(namespaceFile)) access.namespace = readFileSync(namespaceFile, 'utf8').trim();
  return access;
}

interface NamedEntry<T> {
  name?: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

/** Reads a kubeconfig (YAML): the named context or the current one, its cluster and its user's credentials. */
export function kubeconfigAccess(path: string, contextName?: string): KubeAccess {
  let doc: Record<string, unknown>;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw badInput(`Cannot read kubeconfig ${path}: ${(error as Error).message}`, 'Give a readable kubeconfig file (--kubeconfig or KUBECONFIG).', 'E_KUBE_CONFIG');
  }
  const base = dirname(path);
  const fail = (what: string) => badInput(`kubeconfig ${path}: ${what}.`, 'Check the file with `kubectl config view --kubeconfig FILE`.', 'E_KUBE_CONFIG');
  const find = <T>(list: unknown, name: string | undefined, key: 'cluster' | 'user' | 'context'): T | undefined =>
    (Array.isArray(list) ? (list as NamedEntry<T>[]) : []).find((entry) => entry?.name === name)?.[key];
  const wanted = contextName ?? (doc['current-context'] as string | undefined);
  if (!wanted) throw fail('no current-context, and no context was named');
  const context = find<{cluster?: string; user?: string; namespace?: string}>(doc.contexts, wanted, 'context');
  if (!context) throw fail(`no context named ${wanted}`);
  const cluster = find<Record<string, unknown>>(doc.clusters, context.cluster, 'cluster');
  if (!cluster || typeof cluster.server !== 'string') throw fail(`context ${wanted} names cluster ${context.cluster}, which has no server`);
  const user = find<Record<string, unknown>>(doc.users, context.user, 'user') ?? {};
  const fileOrData = (dataKey: string, fileKey: string, from: Record<string, unknown>): string | undefined => {
    const data = from[dataKey];
    if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
    const file = from[fileKey];
    if (typeof file !== 'string') return undefined;
    const resolved = isAbsolute(file) ? file : join(base, file);
    try {
      return readFileSync(resolved, 'utf8');
    } catch {
      throw fail(`${fileKey} ${resolved} cannot be read`);
    }
  };
  if (user.exec || user['auth-provider']) throw fail(`user ${context.user} authenticates through an exec or auth-provider plugin, which dynamo-plan does not run; use a token or a client certificate`);
  const access: KubeAccess = {server: cluster.server.replace(/\/+$/, '')};
  const ca = fileOrData('certificate-authority-data', 'certificate-authority', cluster);
  if (ca) access.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) access.insecureSkipTlsVerify = true;
  if (typeof user.token === 'string') access.token = user.token;
  else if (typeof user.tokenFile === 'string') access.tokenFile = isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile);
  const cert = fileOrData('client-certificate-data', 'client-certificate', user);
  const key = fileOrData('client-key-data', 'client-key', user);
  if (cert && key) Object.assign(access, {cert, key});
  if (context.namespace) access.namespace = context.namespace;
  return access;
}

/**
 * A kubeconfig when one is named; else the in-cluster service account; else $KUBECONFIG's first file or
 * ~/.kube/config, as kubectl looks.
 */
export function resolveKubeAccess(options: {kubeconfig?: string; context?: string; env?: NodeJS.ProcessEnv} = {}): KubeAccess {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return kubeconfigAccess(options.kubeconfig, options.context);
  const inCluster = inClusterAccess(env);
  if (inCluster) return inCluster;
  const path = env.KUBECONFIG?.split(':').find((file) => file !== '') ?? join(homedir(), '.kube', 'config');
  if (!existsSync(path)) throw badInput('No Kubernetes access: not in a pod, and no kubeconfig found.', `Pass a kubeconfig, or create ${path}.`, 'E_KUBE_CONFIG');
  return kubeconfigAccess(path, options.context);
}
