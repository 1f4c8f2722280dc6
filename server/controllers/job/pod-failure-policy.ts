/**
 * spec.podFailurePolicy: which rule a failed pod matches and what it means for the job. Port of
 * kubernetes pkg/controller/job/pod_failure_policy.go (matchPodFailurePolicy) and of
 * getFailJobMessage in job_controller.go. FailIndex is treated like Count (no backoffLimitPerIndex).
 */
import { isPodFailed } from './pods.js';
import type { ContainerStatus, Job, Pod, PodFailurePolicyRule } from './types.js';

/** The outcome of matching: a FailJob message, whether the failure counts, and the action. */
export interface PolicyMatch {
  failJobMessage?: string;
  countFailed: boolean;
  action?: PodFailurePolicyRule['action'];
}

function matchingContainer(statuses: ContainerStatus[] | undefined, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): ContainerStatus | undefined {
  return (statuses ?? []).find((cs) => {
    const code = cs.state?.terminated?.exitCode;
    if (code === undefined || code === 0) return false;
    if (req.containerName && req.containerName !== cs.name) return false;
    return req.operator === 'In' ? req.values.includes(code) : !req.values.includes(code);
  });
}

function matchRule(rule: PodFailurePolicyRule, index: number, pod: Pod): PolicyMatch | undefined {
  const where = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  let message: string | undefined;
  if (rule.onExitCodes) {
    const cs = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
    if (!cs) return undefined;
    message = `Container ${cs.name} for pod ${where} failed with exit code ${cs.state!.terminated!.exitCode} matching ${rule.action} rule at index ${index}`;
  } else if (rule.onPodConditions) {
    const cond = (pod.status?.conditions ?? []).find((c) => rule.onPodConditions!.some((r) => r.type === c.type && (r.status ?? 'True') === c.status));
    if (!cond) return undefined;
    message = `Pod ${where} has condition ${cond.type} matching ${rule.action} rule at index ${index}`;
  } else return undefined;
  if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
  if (rule.action === 'FailJob') return { failJobMessage: message, countFailed: true, action: 'FailJob' };
  return { countFailed: true, action: rule.action };
}

/** matchPodFailurePolicy: the first matching rule's outcome; no policy or no match counts the failure. */
export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyMatch {
  const rules = job.spec.podFailurePolicy?.rules ?? [];
  for (const [i, rule] of rules.entries()) {
    const m = matchRule(rule, i, pod);
    if (m) return m;
  }
  return { countFailed: true };
}

/** The FailJob message of the first failed pod that matches a FailJob rule. */
export function getFailJobMessage(job: Job, pods: Pod[]): string | undefined {
  if (!job.spec.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job, p).failJobMessage;
    if (m) return m;
  }
  return undefined;
}
