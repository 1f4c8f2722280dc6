/**
 * The control-plane static pods kubeadm writes to /etc/kubernetes/manifests (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler) and the mirror pods the control-plane kubelet keeps for
 * them in the API: annotated `kubernetes.io/config.mirror`, owned by the Node, recreated when
 * deleted while that kubelet runs. The fake kubelet then runs them like any other pod bound to it.
 * Manifests follow kubeadm v1.35 (cmd/kubeadm/app/phases/controlplane and etcd).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { StartComponent } from '../cluster.js';
import type { NodeConfig } from '../config.js';
import { rfc3339Nano } from './container-logs.js';

const K8S_TAG = 'v1.35.2';
const PKI = '/etc/kubernetes/pki';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

interface ProbeSpec { host: string; path: string; port: number; scheme: 'HTTP' | 'HTTPS' }

/** kubeadm's probe trio: liveness and startup on one path, readiness polled every second. */
function probes(live: ProbeSpec, ready?: ProbeSpec, startup: ProbeSpec = live): Record<string, unknown> {
  const get = (p: ProbeSpec) => ({ httpGet: { host: p.host, path: p.path, port: p.port, scheme: p.scheme } });
  return {
    livenessProbe: { failureThreshold: 8, ...get(live), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 },
    ...(ready ? { readinessProbe: { failureThreshold: 3, ...get(ready), periodSeconds: 1, timeoutSeconds: 15 } } : {}),
    startupProbe: { failureThreshold: 24, ...get(startup), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 },
  };
}

function hostPath(name: string, path: string, type: string, mountPath = path, readOnly = true) {
  return { volume: { name, hostPath: { path, type } }, mount: { name, mountPath, ...(readOnly ? { readOnly: true } : {}) } };
}

const CA_PATHS = [
  hostPath('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'),
  hostPath('etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'),
  hostPath('k8s-certs', PKI, 'DirectoryOrCreate'),
  hostPath('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate'),
  hostPath('usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate'),
];

interface Component {
  name: string;
  image: string;
  command: string[];
  cpu: string;
  memory?: string;
  probes: Record<string, unknown>;
  paths: Array<ReturnType<typeof hostPath>>;
  annotations?: Record<string, string>;
}

function components(node: NodeConfig): Component[] {
  const ip = node.address;
  const local = (path: string, port: number): ProbeSpec => ({ host: '127.0.0.1', path, port, scheme: 'HTTPS' });
  const etcdProbe = (path: string): ProbeSpec => ({ host: '127.0.0.1', path, port: 2381, scheme: 'HTTP' });
  const kubeconfig = (file: string) => hostPath('kubeconfig', `/etc/kubernetes/${file}`, 'FileOrCreate');
  return [
    {
      name: 'etcd', image: 'registry.k8s.io/etcd:3.6.6-0', cpu: '100m', memory: '100Mi',
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
      command: ['etcd', `--advertise-client-urls=https://${ip}:2379`, `--cert-file=${PKI}/etcd/server.crt`, '--client-cert-auth=true', '--data-dir=/var/lib/etcd',
        '--feature-gates=InitialCorruptCheck=true', `--initial-advertise-peer-urls=https://${ip}:2380`, `--initial-cluster=${node.name}=https://${ip}:2380`,
        `--key-file=${PKI}/etcd/server.key`, `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`, `--name=${node.name}`, `--peer-cert-file=${PKI}/etcd/peer.crt`, '--peer-client-cert-auth=true',
        `--peer-key-file=${PKI}/etcd/peer.key`, `--peer-trusted-ca-file=${PKI}/etcd/ca.crt`, '--snapshot-count=10000', `--trusted-ca-file=${PKI}/etcd/ca.crt`,
        '--watch-progress-notify-interval=5s'],
      probes: probes(etcdProbe('/livez'), etcdProbe('/readyz'), etcdProbe('/readyz')),
      paths: [hostPath('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate', '/var/lib/etcd', false), hostPath('etcd-certs', `${PKI}/etcd`, 'DirectoryOrCreate', `${PKI}/etcd`, false)],
    },
    {
      name: 'kube-apiserver', image: `registry.k8s.io/kube-apiserver:${K8S_TAG}`, cpu: '250m',
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
      command: ['kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', `--client-ca-file=${PKI}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', `--etcd-cafile=${PKI}/etcd/ca.crt`,
        `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`, `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`, '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`, `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', `--proxy-client-cert-file=${PKI}/front-proxy-client.crt`,
        `--proxy-client-key-file=${PKI}/front-proxy-client.key`, '--requestheader-allowed-names=front-proxy-client', `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
        '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User',
        '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', `--service-account-key-file=${PKI}/sa.pub`,
        `--service-account-signing-key-file=${PKI}/sa.key`, '--service-cluster-ip-range=10.96.0.0/12', `--tls-cert-file=${PKI}/apiserver.crt`,
        `--tls-private-key-file=${PKI}/apiserver.key`],
      probes: probes({ host: ip, path: '/livez', port: 6443, scheme: 'HTTPS' }, { host: ip, path: '/readyz', port: 6443, scheme: 'HTTPS' }),
      paths: CA_PATHS,
    },
    {
      name: 'kube-controller-manager', image: `registry.k8s.io/kube-controller-manager:${K8S_TAG}`, cpu: '200m',
      command: ['kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', `--client-ca-file=${PKI}/ca.crt`,
        '--cluster-cidr=10.244.0.0/16', '--cluster-name=kubernetes', `--cluster-signing-cert-file=${PKI}/ca.crt`, `--cluster-signing-key-file=${PKI}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true',
        `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`, `--root-ca-file=${PKI}/ca.crt`, `--service-account-private-key-file=${PKI}/sa.key`,
        '--service-cluster-ip-range=10.96.0.0/12', '--use-service-account-credentials=true'],
      probes: probes(local('/healthz', 10257)),
      paths: [...CA_PATHS.slice(0, 2), hostPath('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', false),
        ...CA_PATHS.slice(2, 3), kubeconfig('controller-manager.conf'), ...CA_PATHS.slice(3)],
    },
    {
      name: 'kube-scheduler', image: `registry.k8s.io/kube-scheduler:${K8S_TAG}`, cpu: '100m',
      command: ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
      probes: probes(local('/livez', 10259), local('/readyz', 10259)),
      paths: [kubeconfig('scheduler.conf')],
    },
  ];
}

/** The mirror pods of a control-plane node, as its kubelet creates them. */
export function mirrorPods(node: NodeConfig, nodeUid: string, now: number): KubeObject[] {
  return components(node).map((c) => {
    const spec = {
      containers: [{
        name: c.name, image: c.image, imagePullPolicy: 'IfNotPresent', command: c.command, ...c.probes,
        resources: { requests: { cpu: c.cpu, ...(c.memory ? { memory: c.memory } : {}) } },
        volumeMounts: c.paths.map((p) => p.mount),
      }],
      hostNetwork: true, nodeName: node.name, priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: c.paths.map((p) => p.volume),
    };
    const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: `${c.name}-${node.name}`, namespace: 'kube-system',
        labels: { component: c.name, tier: 'control-plane' },
        annotations: { ...c.annotations, 'kubernetes.io/config.hash': hash, [MIRROR_ANNOTATION]: hash, 'kubernetes.io/config.seen': rfc3339Nano(now), 'kubernetes.io/config.source': 'file' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: nodeUid, controller: true }],
      },
      spec,
    } as KubeObject;
  });
}

/**
 * Keeps the mirror pods of every control-plane node while its kubelet runs: created once the
 * Node is registered, and again whenever one is deleted (the static pod itself never went away).
 */
export const startStaticPods: StartComponent = (ctx) => {
  if (ctx.config.addons === false) return () => {};
  const client = ctx.client('kubelet');
  const nodes = ctx.informers.for('nodes');
  const pods = ctx.informers.for('pods');
  const controlPlane = new Map(ctx.config.nodes.filter((n) => n.controlPlane).map((n) => [n.name, n]));
  const ensure = (nodeName: string): void => {
    const cfg = controlPlane.get(nodeName);
    const node = nodes.get(nodeName);
    if (!cfg || !node?.metadata.uid || !ctx.kubelets.isRunning(nodeName)) return;
    for (const pod of mirrorPods(cfg, node.metadata.uid, ctx.clock.now())) {
      if (pods.get(`kube-system/${pod.metadata.name}`) || client.get('pods', { namespace: 'kube-system', name: pod.metadata.name! })) continue;
      client.create('pods', pod);
    }
  };
  nodes.on({ add: (n) => ensure(n.metadata.name ?? '') });
  pods.on({ delete: (p) => p.metadata.annotations?.[MIRROR_ANNOTATION] && ensure((p.spec as { nodeName?: string }).nodeName ?? '') });
  return ctx.kubelets.onChange((name) => ensure(name));
};
