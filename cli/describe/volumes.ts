/**
 * Volume sources as kubectl describes them (kubectl pkg/describe/describe.go describeVolumes and the
 * print*VolumeSource helpers), for the sources a practice cluster serves.
 */
import { canonicalQty } from './format.js';
import type { PrefixWriter } from './writer.js';

const SOURCES: Array<[string, (v: any, w: PrefixWriter) => void]> = [
  ['hostPath', (v, w) => w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.path ?? ''}\n    HostPathType:\t${v.type ?? '<none>'}\n`)],
  [
    'emptyDir',
    (v, w) => {
      const limit = v.sizeLimit !== undefined && canonicalQty(v.sizeLimit) !== '0' ? canonicalQty(v.sizeLimit) : '<unset>';
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.medium ?? ''}\n    SizeLimit:\t${limit}\n`);
    },
  ],
  ['gitRepo', (v, w) => w.write(2, `Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t${v.repository ?? ''}\n    Revision:\t${v.revision ?? ''}\n`)],
  ['secret', (v, w) => w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secretName ?? ''}\n    Optional:\t${v.optional === true}\n`)],
  ['configMap', (v, w) => w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.name ?? ''}\n    Optional:\t${v.optional === true}\n`)],
  ['nfs', (v, w) => w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.server ?? ''}\n    Path:\t${v.path ?? ''}\n    ReadOnly:\t${v.readOnly === true}\n`)],
  [
    'persistentVolumeClaim',
    (v, w) => w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.claimName ?? ''}\n    ReadOnly:\t${v.readOnly === true}\n`),
  ],
  ['ephemeral', (_v, w) => w.write(2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n')],
  ['downwardAPI', printDownwardAPI],
  ['projected', printProjected],
  ['csi', printCsi],
  ['image', (v, w) => w.write(2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${v.reference ?? ''}\n    PullPolicy:\t${v.pullPolicy ?? ''}\n`)],
];

function printDownwardAPI(v: any, w: PrefixWriter): void {
  w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
  for (const item of v.items ?? []) {
    if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
    if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
  }
}

function printProjected(v: any, w: PrefixWriter): void {
  w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const s of v.sources ?? []) {
    if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`);
    else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
    else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`);
    else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
  }
}

function printCsi(v: any, w: PrefixWriter): void {
  w.write(2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${v.driver ?? ''}\n    FSType:\t${v.fsType ?? ''}\n    ReadOnly:\t${v.readOnly === true}\n`);
  w.write(2, 'VolumeAttributes:\t');
  const keys = Object.keys(v.volumeAttributes ?? {}).sort();
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(2, '\t');
    w.write(2, `${k}=${v.volumeAttributes[k]}\n`);
  });
}

/** describeVolumes: each volume's name, then its source. */
export function describeVolumes(volumes: any[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes?.length) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    const source = SOURCES.find(([key]) => v[key] !== undefined && v[key] !== null);
    if (source) source[1](v[source[0]], w);
    else w.write(1, '<unknown>\n');
  }
}
