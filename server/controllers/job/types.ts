/**
 * The slices of batch/v1 Job and core/v1 Pod the job, cronjob and TTL controllers read and write.
 * Objects stay loosely typed elsewhere (KubeObject); these views name the fields by their JSON names.
 */
import type { KubeObject, ObjectMeta } from '../../../schemas/types/meta.js';
import type { LabelSelector } from '../../../schemas/format/labels.js';

/** batch/v1 JobCondition. */
export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** batch/v1 PodFailurePolicyRule. */
export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: Array<{ type: string; status?: string }>;
}

/** batch/v1 JobSpec (the fields the controller acts on). */
export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  selector?: LabelSelector;
  manualSelector?: boolean;
  template: { metadata?: ObjectMeta; spec: PodSpec };
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  managedBy?: string;
}

/** batch/v1 JobStatus. */
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

/** batch/v1 Job. */
export interface Job extends KubeObject {
  spec: JobSpec;
  status?: JobStatus;
}

/** A container as the job controller sees it (name, env for the completion index). */
export interface Container {
  name: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  [field: string]: unknown;
}

/** core/v1 PodSpec (the fields the controller touches). */
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  hostname?: string;
  nodeName?: string;
  [field: string]: unknown;
}

/** core/v1 ContainerStatus (terminated state and restarts). */
export interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { terminated?: { exitCode: number; finishedAt?: string; reason?: string } };
  lastState?: { terminated?: { exitCode: number; finishedAt?: string } };
}

/** core/v1 Pod. */
export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }>;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}
