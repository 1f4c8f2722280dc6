/**
 * Field managers of the control-plane binaries. Without an explicit fieldManager the apiserver
 * names a write's manager after the first part of the client's user agent
 * (`kube-controller-manager/v1.35.2 (linux/amd64) kubernetes/…/deployment-controller`), so every
 * controller in kube-controller-manager writes as that binary, whatever its own name.
 */
export const KUBE_CONTROLLER_MANAGER = 'kube-controller-manager';
export const KUBE_SCHEDULER = 'kube-scheduler';
