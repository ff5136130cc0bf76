// Reading a DynamoGraphDeployment: which component serves each planner role, how many replicas it asks for, and how
// many are up. v1beta1 lists `spec.components[]` (field `type`); v1alpha1 maps `spec.services{}` (fields
// `componentType`/`subComponentType`). Status is keyed by component name in both (`components` / `services`).

export type ScalableRole = 'prefill' | 'decode' | 'agg';

export interface DgdComponent {
  role: ScalableRole;
  name: string;
  /** Position in v1beta1's `spec.components` list (for a JSON patch); undefined for v1alpha1's map. */
  index?: number;
  /** Replicas asked for (spec); the CRD's default is 1. */
  desired: number;
  /** Non-terminated replicas (status), which hold GPUs, including ones shutting down after a scale-down. */
  live?: number;
  ready: number;
}

export interface DgdView {
  layout: 'components' | 'services';
  components: Partial<Record<ScalableRole, DgdComponent>>;
  /** The DGD's Ready condition is True. */
  ready: boolean;
}

type Json = Record<string, unknown>;

const LEGACY_NAMES: Record<string, ScalableRole> = {
  vllmprefillworker: 'prefill', vllmdecodeworker: 'decode', vllmworker: 'agg',
  prefillworker: 'prefill', decodeworker: 'decode', worker: 'agg',
};

function roleOf(name: string, type: unknown, subType: unknown): ScalableRole | undefined {
  if (subType === 'prefill' || type === 'prefill') return 'prefill';
  if (subType === 'decode' || type === 'decode') return 'decode';
  if (type === 'worker' || type === 'main') return 'agg';
  return LEGACY_NAMES[name.toLowerCase()];
}

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asCount = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The planner's view of a DGD object; `names` pins a role to a component name instead of recognising it. */
export function readDgd(dgd: unknown, names: Partial<Record<ScalableRole, string>> = {}): DgdView {
  const spec = asObject(asObject(dgd).spec);
  const status = asObject(asObject(dgd).status);
  const layout = Array.isArray(spec.components) ? 'components' : 'services';
  const statusByName = asObject(layout === 'components' ? status.components : status.services);
  const entries: {name: string; body: Json; index?: number}[] = layout === 'components'
    ? (spec.components as unknown[]).map((body, index) => ({name: String(asObject(body).name ?? ''), body: asObject(body), index}))
    : Object.entries(asObject(spec.services)).map(([name, body]) => ({name, body: asObject(body)}));
  const pinned = new Map(Object.entries(names).map(([role, name]) => [name, role as ScalableRole]));
  const view: DgdView = {layout, components: {}, ready: false};
  for (const entry of entries) {
    const role = pinned.size > 0 ? pinned.get(entry.name) : roleOf(entry.name, entry.body.type ?? entry.body.componentType, entry.body.subComponentType);
    if (!role || view.components[role]) continue;
    const replicaStatus = asObject(statusByName[entry.name]);
    const component: DgdComponent = {
      role, name: entry.name, desired: asCount(entry.body.replicas) ?? 1,
      ready: asCount(replicaStatus.readyReplicas) ?? asCount(replicaStatus.availableReplicas) ?? 0,
    };
    if (entry.index !== undefined) component.index = entry.index;
    const live = asCount(replicaStatus.replicas);
    if (live !== undefined) component.live = live;
    view.components[role] = component;
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Json[]) : [];
  view.ready = conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
  return view;
}
