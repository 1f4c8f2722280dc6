import type { ProtoMessages } from './field-table.js';

/** Field tables for scheduling.k8s.io/v1 PriorityClass. */
export const schedulingMessages: ProtoMessages = {
  PriorityClass: {
    1: ['metadata', 'ObjectMeta'], 2: ['value', 'int32!'], 3: ['globalDefault', 'bool'], 4: ['description', 'string'],
    5: ['preemptionPolicy', 'string?'],
  },
};
