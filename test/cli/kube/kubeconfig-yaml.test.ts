/**
 * The kubeconfig YAML subset reader gives what the `yaml` package gives for the kubeconfigs kubectl
 * and kd write, and hands everything else to `yaml`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseKubeconfigYaml, parseSubset } from '../../../cli/kube/kubeconfig-yaml.js';

const KUBECTL_STYLE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://127.0.0.1:6443
  name: kubedojo
- cluster:
    insecure-skip-tls-verify: true
    server: "https://prod.example:6443"
  name: 'prod cluster'
contexts:
- context:
    cluster: kubedojo
    namespace: team-a # the team's namespace
    user: kubedojo
  name: kubedojo
current-context: kubedojo
kind: Config
preferences: {}
users:
- name: kubedojo
  user:
    token: c7fd9eb41b6a
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      args:
      - get-token
      - "--cluster=a b"
      command: aws
      env: null
      provideClusterInfo: false
`;

const KD_STYLE = `# written by kd up
apiVersion: v1
kind: Config
clusters:
  - name: kubedojo
    cluster:
      server: https://127.0.0.1:41667
users:
  - name: kubedojo
    user:
      token: "a\\"b\\u0041"
contexts: []
current-context: ""
`;

test('kubeconfigs as kubectl and kd write them read as yaml reads them', () => {
  for (const text of [KUBECTL_STYLE, KD_STYLE, '', '---\napiVersion: v1\n', 'a: 1\nb: -2.5\nc: ~\nd: it\'s\ne: \'it\'\'s\'\n']) {
    assert.deepEqual(parseSubset(text), parse(text), text);
  }
});

test('YAML outside the subset falls back to the yaml package', () => {
  const outside = ['a: &x 1\nb: *x\n', 'a: |\n  line1\n  line2\n', 'a: {b: 1}\n', 'a: [1, 2]\n', 'a: plain\n  continued\n', 'a: !!str 1\n'];
  for (const text of outside) {
    assert.throws(() => parseSubset(text));
    assert.deepEqual(parseKubeconfigYaml(text), parse(text), text);
  }
});
