// The images a node reports in status.images. Port of the kubelet's Images setter
// (pkg/kubelet/nodestatus/setters.go): images sorted by size, largest first, at most
// nodeStatusMaxImages of them, each with its repo digest and tags as names.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';

/** One entry of status.images. */
export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** The kubelet's default nodeStatusMaxImages. */
const NODE_STATUS_MAX_IMAGES = 50;
/** Kubernetes images tagged like the server version. */
const K8S_TAG = 'v1.35.2';

/**
 * An image as containerd lists it: repo digest first, then the tag. The digest is the one the
 * image catalog (images.ts tagDigest) derives, so a later pull of the same tag reports the same id.
 */
export function nodeImage(repository: string, tag: string, sizeBytes: number): NodeImage {
  const digest = createHash('sha256').update(`${repository}:${tag}`).digest('hex');
  return { names: [`${repository}@sha256:${digest}`, `${repository}:${tag}`], sizeBytes };
}

const KUBE_PROXY = nodeImage('registry.k8s.io/kube-proxy', K8S_TAG, 30_914_128);
const PAUSE = nodeImage('registry.k8s.io/pause', '3.10', 320_368);

/** Pre-pulled images of a kubeadm worker (kube-proxy and the sandbox image). */
export const DEFAULT_NODE_IMAGES_WORKER: readonly NodeImage[] = [KUBE_PROXY, PAUSE];

/** Pre-pulled images of a kubeadm control-plane node (`kubeadm config images pull`). */
export const DEFAULT_NODE_IMAGES_CONTROL_PLANE: readonly NodeImage[] = sortImages([
  nodeImage('registry.k8s.io/kube-apiserver', K8S_TAG, 27_398_760),
  nodeImage('registry.k8s.io/kube-controller-manager', K8S_TAG, 25_121_452),
  nodeImage('registry.k8s.io/kube-scheduler', K8S_TAG, 19_470_364),
  nodeImage('registry.k8s.io/etcd', '3.6.6-0', 23_641_882),
  nodeImage('registry.k8s.io/coredns/coredns', 'v1.13.1', 22_384_805),
  KUBE_PROXY,
  PAUSE,
]);

function sortImages(images: NodeImage[]): NodeImage[] {
  return [...images].sort((a, b) => b.sizeBytes - a.sizeBytes);
}

/**
 * The image list after pulling `image`: names merged into an entry sharing its digest, otherwise a
 * new entry; sorted largest first and capped at 50 like the kubelet's report.
 */
export function withNodeImage(images: readonly NodeImage[], image: NodeImage): NodeImage[] {
  const digest = image.names.find((n) => n.includes('@sha256:'));
  const out = images.map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes }));
  const same = out.find((i) => (digest ? i.names.includes(digest) : image.names.some((n) => i.names.includes(n))));
  if (same) {
    for (const n of image.names) if (!same.names.includes(n)) same.names.push(n);
  } else {
    out.push({ names: [...image.names], sizeBytes: image.sizeBytes });
  }
  return sortImages(out).slice(0, NODE_STATUS_MAX_IMAGES);
}

/**
 * Adds a pulled image to a node's status.images (for the pod workers after a successful pull).
 * A no-op write when the image is already listed.
 * @example recordNodeImage(client, 'node01', nodeImage('docker.io/library/nginx', '1.27', 72_000_000))
 */
export function recordNodeImage(client: LocalClient, nodeName: string, image: NodeImage): void {
  client.mutate('nodes', { name: nodeName }, (node: KubeObject) => {
    const status = (node.status ?? {}) as { images?: NodeImage[] };
    status.images = withNodeImage(status.images ?? [], image);
    node.status = status;
    return node;
  }, { status: true });
}
