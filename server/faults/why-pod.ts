import type { KubeObject } from '../../schemas/types/meta.js';
import type { WhyDeps } from '../api/routes/admin-why.js';

/** Explains a pod. */
export function explainPod(_deps: WhyDeps, pod: Readonly<KubeObject>): unknown {
  return { pod: pod.metadata.name };
}
