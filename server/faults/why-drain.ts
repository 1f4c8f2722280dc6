import type { KubeObject } from '../../schemas/types/meta.js';
import type { WhyDeps } from '../api/routes/admin-why.js';

/** Explains a drain. */
export function explainDrain(_deps: WhyDeps, node: Readonly<KubeObject>): unknown {
  return { node: node.metadata.name };
}
