/**
 * The Kubernetes build kubedojo answers as, on both sides: the daemon's `GET /version` and `kd
 * version`'s client line are those of the v1.35.2 build the real kubectl reports, so no version-skew
 * warning ever shows and scripts that parse versions see what a real cluster gives.
 */

/** apimachinery version.Info, the body of `GET /version`; emulation fields default from major/minor. */
export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** kubectl v1.35.2's own build (`kubectl version --client -o json`), in its field order. */
export const KUBE_BUILD: VersionInfo = {
  major: '1',
  minor: '35',
  gitVersion: 'v1.35.2',
  gitCommit: 'fdc9d74cbf2da6754ebf81d56f80ae2948cd6425',
  gitTreeState: 'clean',
  buildDate: '2026-02-26T20:05:34Z',
  goVersion: 'go1.25.7',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const { major, minor, ...build } = KUBE_BUILD;

/** What the daemon's `GET /version` reports: the same build, with the apiserver's emulation fields. */
export const SERVER_VERSION_INFO: VersionInfo = {
  major,
  minor,
  emulationMajor: major,
  emulationMinor: minor,
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  ...build,
};
