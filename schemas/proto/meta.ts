import type { ProtoMessages } from './field-table.js';

/**
 * Field tables for k8s.io/apimachinery: meta/v1 (object metadata, selectors, conditions,
 * DeleteOptions), runtime (the `Unknown` envelope), intstr and resource, plus the
 * well-known wrappers that the decoder turns into plain JSON values.
 */
export const metaMessages: ProtoMessages = {
  // runtime.Unknown wraps every protobuf body after the `k8s\0` magic.
  Unknown: { 1: ['typeMeta', 'TypeMeta'], 2: ['raw', 'bytes'], 3: ['contentEncoding', 'string'], 4: ['contentType', 'string'] },
  // runtime.TypeMeta numbers apiVersion first (meta/v1's TypeMeta is the other way round).
  TypeMeta: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] },

  ObjectMeta: {
    1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'],
    4: ['selfLink', 'string'], 5: ['uid', 'string'], 6: ['resourceVersion', 'string'],
    7: ['generation', 'int64'], 8: ['creationTimestamp', 'Time'], 9: ['deletionTimestamp', 'Time?'],
    10: ['deletionGracePeriodSeconds', 'int64?'], 11: ['labels', '{}string'], 12: ['annotations', '{}string'],
    13: ['ownerReferences', '[]OwnerReference'], 14: ['finalizers', '[]string'],
    17: ['managedFields', '[]ManagedFieldsEntry'],
  },
  OwnerReference: {
    5: ['apiVersion', 'string'], 1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'],
    6: ['controller', 'bool?'], 7: ['blockOwnerDeletion', 'bool?'],
  },
  ManagedFieldsEntry: {
    1: ['manager', 'string'], 2: ['operation', 'string'], 3: ['apiVersion', 'string'], 4: ['time', 'Time?'],
    6: ['fieldsType', 'string'], 7: ['fieldsV1', 'FieldsV1?'], 8: ['subresource', 'string'],
  },
  LabelSelector: { 1: ['matchLabels', '{}string'], 2: ['matchExpressions', '[]LabelSelectorRequirement'] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', '[]string'] },
  FieldSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', '[]string'] },
  Condition: {
    1: ['type', 'string'], 2: ['status', 'string'], 3: ['observedGeneration', 'int64'],
    4: ['lastTransitionTime', 'Time'], 5: ['reason', 'string'], 6: ['message', 'string'],
  },
  DeleteOptions: {
    1: ['gracePeriodSeconds', 'int64?'], 2: ['preconditions', 'Preconditions'], 3: ['orphanDependents', 'bool?'],
    4: ['propagationPolicy', 'string?'], 5: ['dryRun', '[]string'],
    6: ['ignoreStoreReadErrorWithClusterBreakingPotential', 'bool?'],
  },
  Preconditions: { 1: ['uid', 'string?'], 2: ['resourceVersion', 'string?'] },

  // Well-known wrappers: the decoder maps each of these to a plain JSON value.
  Time: { 1: ['seconds', 'int64'], 2: ['nanos', 'int32'] },
  MicroTime: { 1: ['seconds', 'int64'], 2: ['nanos', 'int32'] },
  Duration: { 1: ['duration', 'int64'] },
  FieldsV1: { 1: ['Raw', 'bytes'] },
  RawExtension: { 1: ['raw', 'bytes'] },
  IntOrString: { 1: ['type', 'int64'], 2: ['intVal', 'int32'], 3: ['strVal', 'string'] },
  Quantity: { 1: ['string', 'string'] },
  // authentication/v1 and authorization/v1 ExtraValue: a []string that needs a message to sit in a map.
  ExtraValue: { 1: ['items', '[]string'] },
};
