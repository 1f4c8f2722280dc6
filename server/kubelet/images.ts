/**
 * The image catalog of the fake kubelet (DESIGN.md decision 5): well-known repositories with real tag
 * lists, so a pull of a known tag succeeds and an unknown tag or repository fails with the texts
 * containerd and the kubelet print (k8s-behavior.md §6.1 step 2), plus the image-pull and
 * CrashLoopBackOff schedules (§6.1, §6.3).
 *
 * Port of the message formats in kubernetes pkg/kubelet/images/image_manager.go (EnsureImageExists,
 * evalCRIPullErr) and pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff).
 */
import { createHash } from 'node:crypto';
import { formatGoDuration } from '../api/protobuf.js';

/**
 * What the image does when the pod gives neither command nor args: `server` runs forever (with
 * start-up logs from programs.ts), `shell` exits 0 at once (a shell or REPL without stdin), `pause`
 * runs forever silently, `usage` prints nothing and exits 0.
 */
export type ImageDefaultKind = 'server' | 'shell' | 'pause' | 'usage';

/** One repository of the catalog. */
export interface CatalogImage {
  /** Fully qualified repository, e.g. `docker.io/library/nginx`. */
  repository: string;
  /** Real tags; `latest` is included where the registry publishes it. */
  tags: readonly string[];
  kind: ImageDefaultKind;
  /** Image ENTRYPOINT and CMD, which the container's command and args replace. */
  entrypoint: readonly string[];
  cmd: readonly string[];
  /** Shells present in the image (`sh -c` fails to start without one). */
  shells: readonly string[];
  /** Compressed size of the default variant; `-alpine` / `-slim` tags use the variant sizes. */
  sizeBytes: number;
  variantSizeBytes?: Readonly<Partial<Record<'alpine' | 'slim', number>>>;
  /** Version that `latest` and floating tags resolve to in log lines. */
  latestVersion: string;
}

/** A parsed image reference, normalised as containerd does (`nginx` → docker.io/library/nginx). */
export interface ImageRef {
  registry: string;
  /** Path inside the registry, e.g. `library/nginx`. */
  repository: string;
  /** Tag; `latest` when neither tag nor digest was given. Empty when only a digest was given. */
  tag: string;
  digest?: string;
  /** The fully qualified reference: `docker.io/library/nginx:latest` or `…@sha256:…`. */
  fullName: string;
}

/** A catalog hit for one reference. */
export interface ImageLookup {
  image: CatalogImage;
  ref: ImageRef;
  /** The tag the reference resolves to (for a digest reference, the tag carrying that digest). */
  tag: string;
  /** Repo digest as a kubelet reports it in `imageID`: `docker.io/library/nginx@sha256:…`. */
  imageID: string;
  sizeBytes: number;
  /** Version used in log lines, e.g. `1.27.3` for `nginx:1.27` or `nginx:latest`. */
  version: string;
}

/** Outcome of pullResult: the pulled image, or the waiting reason and runtime error text. */
export type PullResult =
  | { ok: true; sizeBytes: number; imageID: string; pullMs: number }
  | { ok: false; reason: 'ErrImagePull' | 'InvalidImageName'; message: string };

const SH = ['sh', 'ash'];
const SH_BASH = ['sh', 'bash', 'dash'];

function entry(
  repository: string,
  tags: string,
  rest: Omit<CatalogImage, 'repository' | 'tags'>,
): CatalogImage {
  return { repository, tags: tags.split(' '), ...rest };
}

/** The catalog, keyed by fully qualified repository. */
export const IMAGE_CATALOG: ReadonlyMap<string, CatalogImage> = new Map(
  [
    entry('docker.io/library/nginx', '1.27.3 1.27 1.26.2 1.26 1.25.5 1.25 1.24.0 1.24 1.23 1.21 1.19 stable mainline alpine 1.27-alpine 1.25-alpine stable-alpine latest', {
      kind: 'server', entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], shells: SH_BASH,
      sizeBytes: 72_938_216, variantSizeBytes: { alpine: 20_507_362 }, latestVersion: '1.27.3' }),
    entry('docker.io/library/httpd', '2.4.62 2.4 2 alpine 2.4-alpine latest', {
      kind: 'server', entrypoint: [], cmd: ['httpd-foreground'], shells: SH_BASH,
      sizeBytes: 58_213_870, variantSizeBytes: { alpine: 22_517_106 }, latestVersion: '2.4.62' }),
    entry('docker.io/library/redis', '7.4.1 7.4 7.2 7 6.2 6 alpine 7-alpine 7.4-alpine latest', {
      kind: 'server', entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], shells: SH_BASH,
      sizeBytes: 45_142_873, variantSizeBytes: { alpine: 17_263_449 }, latestVersion: '7.4.1' }),
    entry('docker.io/library/memcached', '1.6.32 1.6 1 alpine 1.6-alpine latest', {
      kind: 'server', entrypoint: ['docker-entrypoint.sh'], cmd: ['memcached'], shells: SH_BASH,
      sizeBytes: 31_220_504, variantSizeBytes: { alpine: 4_894_209 }, latestVersion: '1.6.32' }),
    entry('docker.io/library/postgres', '17.2 17 16.6 16 15 14 13 17-alpine 16-alpine alpine latest', {
      kind: 'server', entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'], shells: SH_BASH,
      sizeBytes: 158_371_021, variantSizeBytes: { alpine: 105_244_385 }, latestVersion: '17.2' }),
    entry('docker.io/library/mysql', '9.1.0 9.1 9 8.4 lts 8.0.40 8.0 8 5.7 latest', {
      kind: 'server', entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], shells: SH_BASH,
      sizeBytes: 170_912_374, latestVersion: '9.1.0' }),
    entry('docker.io/library/busybox', '1.37.0 1.37 1.36.1 1.36 1.35 1.34 1.28 musl glibc uclibc stable latest', {
      kind: 'shell', entrypoint: [], cmd: ['sh'], shells: SH, sizeBytes: 2_156_518, latestVersion: '1.37.0' }),
    entry('docker.io/library/alpine', '3.21.0 3.21 3.20.3 3.20 3.19 3.18 3.17 3.16 3 edge latest', {
      kind: 'shell', entrypoint: [], cmd: ['/bin/sh'], shells: SH, sizeBytes: 3_641_715, latestVersion: '3.21.0' }),
    entry('docker.io/library/ubuntu', '24.04 22.04 20.04 18.04 noble jammy focal bionic rolling latest', {
      kind: 'shell', entrypoint: [], cmd: ['/bin/bash'], shells: SH_BASH, sizeBytes: 29_754_422, latestVersion: '24.04' }),
    entry('docker.io/library/debian', '12 11 10 bookworm bullseye buster bookworm-slim bullseye-slim stable stable-slim latest', {
      kind: 'shell', entrypoint: [], cmd: ['bash'], shells: SH_BASH,
      sizeBytes: 48_494_272, variantSizeBytes: { slim: 28_227_259 }, latestVersion: '12' }),
    entry('docker.io/library/python', '3.13 3.12 3.11 3.10 3.9 3 3.13-slim 3.12-slim 3.12-alpine slim alpine latest', {
      kind: 'shell', entrypoint: [], cmd: ['python3'], shells: SH_BASH,
      sizeBytes: 372_013_187, variantSizeBytes: { slim: 41_425_710, alpine: 17_830_451 }, latestVersion: '3.13.1' }),
    entry('docker.io/library/node', '23 22 20 18 lts 22-alpine 20-alpine 20-slim alpine slim latest', {
      kind: 'shell', entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], shells: SH_BASH,
      sizeBytes: 399_612_543, variantSizeBytes: { slim: 74_380_201, alpine: 55_631_042 }, latestVersion: '23.4.0' }),
    entry('docker.io/library/golang', '1.23 1.22 1.21 1.23-alpine alpine latest', {
      kind: 'shell', entrypoint: [], cmd: ['bash'], shells: SH_BASH,
      sizeBytes: 301_438_956, variantSizeBytes: { alpine: 78_212_644 }, latestVersion: '1.23.4' }),
    entry('registry.k8s.io/pause', '3.10 3.9 3.8 3.7 3.6 3.5 3.2 3.1 latest', {
      kind: 'pause', entrypoint: ['/pause'], cmd: [], shells: [], sizeBytes: 320_368, latestVersion: '3.10' }),
    // The kubeadm images; distroless, so no shell. Sizes match node-images.ts.
    ...['kube-apiserver:27398760', 'kube-controller-manager:25121452', 'kube-scheduler:19470364', 'kube-proxy:30914128'].map((s) => {
      const [name, size] = s.split(':') as [string, string];
      return entry(`registry.k8s.io/${name}`, 'v1.35.2 v1.35.1 v1.35.0', {
        kind: 'server', entrypoint: [name === 'kube-proxy' ? '/usr/local/bin/kube-proxy' : name], cmd: [], shells: [], sizeBytes: Number(size), latestVersion: 'v1.35.2' });
    }),
    entry('registry.k8s.io/etcd', '3.6.6-0 3.6.5-0 3.6.4-0 3.5.21-0', {
      kind: 'server', entrypoint: ['/usr/local/bin/etcd'], cmd: [], shells: [], sizeBytes: 23_641_882, latestVersion: '3.6.6-0' }),
    entry('registry.k8s.io/coredns/coredns', 'v1.13.1 v1.12.1 v1.12.0 v1.11.3 v1.11.1', {
      kind: 'server', entrypoint: ['/coredns'], cmd: [], shells: [], sizeBytes: 22_384_805, latestVersion: 'v1.13.1' }),
    entry('registry.k8s.io/e2e-test-images/agnhost', '2.53 2.52 2.51 2.50 2.47 2.45 2.43 2.40 2.39', {
      kind: 'usage', entrypoint: ['/agnhost'], cmd: [], shells: SH, sizeBytes: 51_084_960, latestVersion: '2.53' }),
    entry('docker.io/polinux/stress', '1.0.4 latest', {
      kind: 'usage', entrypoint: ['stress'], cmd: ['--help'], shells: SH, sizeBytes: 4_041_666, latestVersion: '1.0.4' }),
    entry('docker.io/kicbase/echo-server', '1.0 latest', {
      kind: 'server', entrypoint: ['/echo-server'], cmd: [], shells: [], sizeBytes: 4_944_818, latestVersion: '1.0' }),
  ].map((i) => [i.repository, i]),
);

/** Registries whose repositories the fake knows; other hosts fail DNS like an unknown host would. */
const KNOWN_REGISTRIES = new Set(['docker.io', 'registry.k8s.io', 'gcr.io', 'quay.io', 'ghcr.io']);

const REFERENCE_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** Thrown by parseImageRef for a reference Docker's grammar rejects. */
export class InvalidImageNameError extends Error {
  constructor(readonly image: string, detail = 'invalid reference format') {
    super(`couldn't parse image name "${image}": ${detail}`);
    this.name = 'InvalidImageNameError';
  }
}

/**
 * Parses and normalises an image reference the way containerd's reference.ParseDockerRef does.
 * @example parseImageRef('nginx').fullName // 'docker.io/library/nginx:latest'
 */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw new InvalidImageNameError(ref);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new InvalidImageNameError(ref);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // Docker treats the first component as a host only if it looks like one.
  const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasHost ? first : 'docker.io';
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (repository !== repository.toLowerCase()) {
    throw new InvalidImageNameError(ref, `invalid reference format: repository name (${repository}) must be lowercase`);
  }
  if (!REFERENCE_RE.test(repository)) throw new InvalidImageNameError(ref);
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (tag === '' && digest === undefined) tag = 'latest';
  const name = `${registry}/${repository}`;
  const fullName = digest !== undefined ? `${name}${tag ? `:${tag}` : ''}@${digest}` : `${name}:${tag}`;
  return { registry, repository, tag, ...(digest !== undefined ? { digest } : {}), fullName };
}

/** The deterministic digest of one tag; `latest` shares the digest of the newest version tag. */
export function tagDigest(image: CatalogImage, tag: string): string {
  const resolved = tag === 'latest' ? resolveFloatingTag(image, tag) : tag;
  return `sha256:${createHash('sha256').update(`${image.repository}:${resolved}`).digest('hex')}`;
}

function resolveFloatingTag(image: CatalogImage, tag: string): string {
  return tag === 'latest' ? (image.tags[0] ?? tag) : tag;
}

/** Version shown in log lines: `1.27` → `1.27.3` when a full tag exists, floating tags → latest. */
function versionOf(image: CatalogImage, tag: string): string {
  const base = tag.replace(/-(alpine|slim)$/, '');
  if (!/^\d+(\.\d+)*$/.test(base)) return image.latestVersion;
  if (image.latestVersion.startsWith(`${base}.`) || image.latestVersion === base) return image.latestVersion;
  const full = image.tags.find((t) => t.startsWith(`${base}.`) && /^\d+\.\d+\.\d+$/.test(t));
  return full ?? (base.split('.').length >= 3 ? base : `${base}.0`);
}

function sizeOf(image: CatalogImage, tag: string): number {
  const variant = /alpine/.test(tag) ? 'alpine' : /slim/.test(tag) ? 'slim' : undefined;
  return (variant && image.variantSizeBytes?.[variant]) || image.sizeBytes;
}

/**
 * Finds a reference in the catalog; undefined for unknown repositories, tags or digests and for
 * invalid references.
 * @example lookupImage('nginx:1.25')?.version // '1.25.5'
 */
export function lookupImage(ref: string): ImageLookup | undefined {
  // The catalog never changes: every container of a workload asks about the same reference several
  // times (pull, files, program, status), and each answer costs a parse and a sha256.
  if (lookups.has(ref)) return lookups.get(ref);
  const found = findImage(ref);
  if (lookups.size >= MAX_LOOKUPS) lookups.clear();
  lookups.set(ref, found && Object.freeze(found));
  return found;
}

const lookups = new Map<string, ImageLookup | undefined>();
// References are few (one per image a pod spec names); the bound keeps typos from growing it forever.
const MAX_LOOKUPS = 1024;

function findImage(ref: string): ImageLookup | undefined {
  let parsed: ImageRef;
  try {
    parsed = parseImageRef(ref);
  } catch {
    return undefined;
  }
  const image = IMAGE_CATALOG.get(`${parsed.registry}/${parsed.repository}`);
  if (!image) return undefined;
  const tag = parsed.digest !== undefined
    ? image.tags.find((t) => tagDigest(image, t) === parsed.digest && (!parsed.tag || parsed.tag === t))
    : image.tags.find((t) => t === parsed.tag);
  if (tag === undefined) return undefined;
  const name = `${parsed.registry}/${parsed.repository}`;
  return { image, ref: parsed, tag, imageID: `${name}@${tagDigest(image, tag)}`, sizeBytes: sizeOf(image, tag), version: versionOf(image, tag) };
}

/** Simulated registry throughput and per-pull overhead, chosen so nginx takes about 3.3 s. */
const PULL_BYTES_PER_MS = 25_000;
const PULL_OVERHEAD_MS = 400;

/**
 * The outcome of pulling `ref` (the image string as written in the pod spec). Failure messages are
 * the CRI errors containerd returns, which the kubelet puts in the waiting message and in the
 * `Failed to pull image` event (see failedToPullMessage).
 * @example pullResult('nginx:1.99') // { ok: false, reason: 'ErrImagePull', message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": …: not found' }
 */
export function pullResult(ref: string): PullResult {
  let parsed: ImageRef;
  try {
    parsed = parseImageRef(ref);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${ref}": ${detail}` };
  }
  const hit = lookupImage(ref);
  if (hit) return { ok: true, sizeBytes: hit.sizeBytes, imageID: hit.imageID, pullMs: pullDurationMs(hit.sizeBytes) };
  return { ok: false, reason: 'ErrImagePull', message: registryError(parsed) };
}

function pullDurationMs(sizeBytes: number): number {
  return PULL_OVERHEAD_MS + Math.round(sizeBytes / PULL_BYTES_PER_MS);
}

function registryError(ref: ImageRef): string {
  const name = ref.fullName;
  const prefix = `failed to pull and unpack image "${name}": failed to resolve reference "${name}"`;
  const known = IMAGE_CATALOG.has(`${ref.registry}/${ref.repository}`);
  if (!KNOWN_REGISTRIES.has(ref.registry)) {
    const path = ref.digest ?? ref.tag;
    return `rpc error: code = Unknown desc = ${prefix}: failed to do request: Head "https://${ref.registry}/v2/${ref.repository}/manifests/${path}": dial tcp: lookup ${ref.registry.replace(/:\d+$/, '')}: no such host`;
  }
  // Docker Hub answers an unknown repository with 401 rather than 404.
  if (!known && ref.registry === 'docker.io') {
    return `rpc error: code = Unknown desc = ${prefix}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `rpc error: code = NotFound desc = ${prefix}: ${name}: not found`;
}

/** Event message when a pull starts (`Pulling`). */
export function pullingMessage(image: string): string {
  return `Pulling image "${image}"`;
}

/**
 * Event message of a successful pull (`Pulled`); durations are truncated to milliseconds as upstream.
 * `totalMs` includes the time spent waiting for the pull to start.
 * @example pulledMessage('nginx:1.25', { pullMs: 3800, totalMs: 3800, sizeBytes: 72938216 }) // 'Successfully pulled image "nginx:1.25" in 3.8s (3.8s including waiting). Image size: 72938216 bytes.'
 */
export function pulledMessage(image: string, { pullMs, totalMs, sizeBytes }: { pullMs: number; totalMs: number; sizeBytes: number }): string {
  return `Successfully pulled image "${image}" in ${goDurationMs(pullMs)} (${goDurationMs(totalMs)} including waiting). Image size: ${sizeBytes} bytes.`;
}

/** Event message of a `Pulled` event when no pull was needed. */
export function alreadyPresentMessage(image: string): string {
  return `Container image "${image}" already present on machine`;
}

/** Warning `Failed` event message of a failed pull. */
export function failedToPullMessage(image: string, runtimeError: string): string {
  return `Failed to pull image "${image}": ${runtimeError}`;
}

/** Waiting message (reason ImagePullBackOff) while an image is in back-off. */
export function backOffPullingMessage(image: string, previousError?: string): string {
  const base = `Back-off pulling image "${image}"`;
  return previousError ? `${base}: ErrImagePull: ${previousError}` : base;
}

const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

/**
 * Image-pull back-off after failed pull number `attempt` (1-based): 10 s doubling to a 300 s cap.
 * @example [1, 2, 3, 6, 7].map(imagePullBackOffMs) // [10000, 20000, 40000, 300000, 300000]
 */
export function imagePullBackOffMs(attempt: number): number {
  return cappedDoubling(attempt);
}

/**
 * CrashLoopBackOff delay before the restart that follows a crash with `restartCount` restarts so far:
 * the first crash restarts at once (0), then 10 s, 20 s, 40 s, 80 s, 160 s and 300 s from then on.
 * @example [0, 1, 2, 5, 6, 9].map(crashLoopBackOffMs) // [0, 10000, 20000, 160000, 300000, 300000]
 */
export function crashLoopBackOffMs(restartCount: number): number {
  return restartCount <= 0 ? 0 : cappedDoubling(restartCount);
}

function cappedDoubling(n: number): number {
  if (n <= 0) return 0;
  // 2^5 × 10 s already exceeds the cap; clamp the exponent so huge counts stay finite.
  return Math.min(BACKOFF_INITIAL_MS * 2 ** Math.min(n - 1, 10), BACKOFF_MAX_MS);
}

/**
 * Waiting message of a container in CrashLoopBackOff.
 * @example crashLoopBackOffMessage(40000, { container: 'app', pod: 'web', namespace: 'default', uid: 'u1' }) // 'back-off 40s restarting failed container=app pod=web_default(u1)'
 */
export function crashLoopBackOffMessage(backOffMs: number, target: { container: string; pod: string; namespace: string; uid: string }): string {
  return `back-off ${goDurationMs(backOffMs)} restarting failed container=${target.container} pod=${target.pod}_${target.namespace}(${target.uid})`;
}

/** Warning `BackOff` event message for a crash-looping container. */
export function crashLoopBackOffEventMessage(target: { container: string; pod: string; namespace: string; uid: string }): string {
  return `Back-off restarting failed container ${target.container} in pod ${target.pod}_${target.namespace}(${target.uid})`;
}

function goDurationMs(ms: number): string {
  return formatGoDuration(BigInt(Math.trunc(ms)) * 1_000_000n);
}
