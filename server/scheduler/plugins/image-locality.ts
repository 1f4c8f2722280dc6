// Port of kubernetes pkg/scheduler/framework/plugins/imagelocality/image_locality.go: prefer nodes
// that already have the pod's images (node.status.images), scaled by how widely each image is spread.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Code, MAX_NODE_SCORE, newStatus, type CycleState, type NodeInfo, type PreScorePlugin, type ScorePlugin, type Status } from '../framework.js';
import { IMAGE_LOCALITY } from './names.js';

const MB_BYTES = 1024 * 1024;
/** Sums below this count as no image at all. */
const MIN_THRESHOLD_BYTES = 23 * MB_BYTES;
/** Per container, sums above this count as the maximum. */
const MAX_CONTAINER_THRESHOLD_BYTES = 1000 * MB_BYTES;

/**
 * The CRI form of an image name: `:latest` appended when it has no tag.
 * @example normalizedImageName('nginx') // 'nginx:latest'
 */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** Scales the summed image sizes to 0–MAX_NODE_SCORE between 23 MB and 1000 MB per container. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD_BYTES * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD_BYTES), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD_BYTES)) / (maxThreshold - MIN_THRESHOLD_BYTES));
}

const imagesCache = new WeakMap<Node, Map<string, number>>();

/** Image name → size in bytes on the node, from node.status.images. */
export function nodeImages(node: Node): Map<string, number> {
  let m = imagesCache.get(node);
  if (m) return m;
  m = new Map();
  for (const image of node.status?.images ?? []) for (const name of image.names ?? []) m.set(name, image.sizeBytes ?? 0);
  imagesCache.set(node, m);
  return m;
}

interface PreScoreState {
  images: string[];
  /** Image → number of nodes that have it. */
  numNodes: Map<string, number>;
  totalNumNodes: number;
}

const PRE_SCORE_STATE_KEY = `PreScore${IMAGE_LOCALITY}`;

/** The ImageLocality plugin: PreScore (spread of each image) and Score. */
export class ImageLocalityPlugin implements PreScorePlugin, ScorePlugin {
  readonly name = IMAGE_LOCALITY;

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[], allNodes: readonly NodeInfo[]): Status | null {
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const images = containers.map((c) => normalizedImageName(c.image ?? ''));
    const numNodes = new Map<string, number>();
    const distinct = [...new Set(images)];
    for (const nodeInfo of allNodes) {
      const onNode = nodeImages(nodeInfo.node);
      if (onNode.size === 0) continue;
      for (const image of distinct) if (onNode.has(image)) numNodes.set(image, (numNodes.get(image) ?? 0) + 1);
    }
    // No node has any of the images: every node would score 0.
    if (numNodes.size === 0) return newStatus(Code.Skip);
    state.set(PRE_SCORE_STATE_KEY, { images, numNodes, totalNumNodes: allNodes.length } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.get(PRE_SCORE_STATE_KEY) as PreScoreState | undefined;
    if (!s) return 0;
    const onNode = nodeImages(nodeInfo.node);
    let sum = 0;
    for (const image of s.images) {
      const size = onNode.get(image);
      if (size !== undefined) sum += Math.trunc(size * ((s.numNodes.get(image) ?? 0) / s.totalNumNodes));
    }
    return calculatePriority(sum, s.images.length);
  }
}

/** Creates the ImageLocality plugin. */
export function newImageLocalityPlugin(): ImageLocalityPlugin {
  return new ImageLocalityPlugin();
}
