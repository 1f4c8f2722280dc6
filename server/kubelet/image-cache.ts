/**
 * The images of one node and its image puller. The kubelet pulls one image at a time by default
 * (serializeImagePulls: true), so a pull requested while another runs waits; the Pulled event's
 * "including waiting" time shows that wait. Port of the behaviour of kubernetes
 * pkg/kubelet/images/puller.go (serialImagePuller) and image_manager.go (EnsureImageExists).
 */
import { unpullableMessage, type PullFault } from '../faults/faults.js';
import { lookupImage, parseImageRef, pullResult, type PullResult } from './images.js';

/** The pause image every kubeadm node already holds (the sandbox image). */
const PRELOADED_IMAGES = ['registry.k8s.io/pause:3.10'];
/** A pull of an image whose layers are already in the content store: only the manifest is fetched. */
const CACHED_PULL_MS = 250;
/** A failing pull fails after resolving the reference. */
const FAILED_PULL_MS = 600;

/** A scheduled pull: when it runs and what it yields. */
export interface PullJob {
  requestedAt: number;
  startAt: number;
  doneAt: number;
  result: PullResult;
}

/** Images present on a node, keyed by the fully qualified reference, plus its serial puller. */
export class ImageCache {
  private readonly present = new Set<string>();
  /** Images with a successful pull queued: a later pull of the same image finds its layers. */
  private readonly queued = new Set<string>();
  private pullerFreeAt = 0;

  /**
   * `preloaded`: references already on the node (its status.images), beside the sandbox image.
   * `pullFault`: what injected faults (`kd fault`) make of a pull of an image on this node.
   */
  constructor(preloaded: readonly string[] = [], private readonly pullFault?: (image: string) => PullFault) {
    for (const ref of [...PRELOADED_IMAGES, ...preloaded]) {
      const key = cacheKey(ref);
      if (key !== undefined) this.present.add(key);
    }
  }

  /** True when the image (as written in a pod spec) is on the node. */
  has(image: string): boolean {
    const key = cacheKey(image);
    return key !== undefined && this.present.has(key);
  }

  /**
   * Queues a pull of `image` at `now`; it starts when the puller is free.
   * @example cache.schedulePull('nginx:1.27', 0) // { startAt: 0, doneAt: 3317, result: { ok: true, … } }
   */
  schedulePull(image: string, now: number): PullJob {
    const fault = this.pullFault?.(image);
    const result: PullResult = fault?.unpullable ? { ok: false, reason: 'ErrImagePull', message: unpullableMessage(image) } : pullResult(image);
    const startAt = Math.max(now, this.pullerFreeAt);
    const key = cacheKey(image);
    const layersHere = this.has(image) || (key !== undefined && this.queued.has(key));
    if (result.ok && key !== undefined) this.queued.add(key);
    const usual = !result.ok ? FAILED_PULL_MS : layersHere ? CACHED_PULL_MS : result.pullMs;
    const duration = result.ok && fault?.durationMs !== undefined ? fault.durationMs : usual;
    const doneAt = startAt + duration;
    this.pullerFreeAt = doneAt;
    return { requestedAt: now, startAt, doneAt, result: result.ok ? { ...result, pullMs: duration } : result };
  }

  /** Records a finished successful pull. */
  add(image: string): void {
    const key = cacheKey(image);
    if (key !== undefined) this.present.add(key);
  }
}

function cacheKey(image: string): string | undefined {
  try {
    const hit = lookupImage(image);
    return hit ? `${hit.ref.registry}/${hit.ref.repository}:${hit.tag}` : parseImageRef(image).fullName;
  } catch {
    return undefined;
  }
}
