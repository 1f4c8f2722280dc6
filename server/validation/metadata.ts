/**
 * ObjectMeta, label, annotation and label-selector validation plus the small generic checks every
 * kind shares. Port of apimachinery `pkg/api/validation/objectmeta.go`,
 * `pkg/apis/meta/v1/validation/validation.go` and the finalizer checks of core validation.
 */
import type { ObjectMeta } from '../../schemas/types/meta.js';
import { forbidden, invalid, required, tooLong, type FieldError } from './field-errors.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES, type NameValidator } from './names.js';

/** A JSON object as decoded from a request body. */
export type Obj = Record<string, unknown>;

/** The value as an object, or an empty one when it is missing or not an object. */
export function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** The value as an array, or an empty one. */
export function asArr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value as a string, or `''` (Go's zero value) when it is not one. */
export function asStr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Whether the object holds a key whose value is neither undefined nor null (a set Go pointer). */
export function isSet(o: Obj, key: string): boolean {
  return o[key] !== undefined && o[key] !== null;
}

/** `field.NotFound`, which field-errors.ts has no helper for. */
export function notFound(field: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, value };
}

/** `must be greater than or equal to 0` for a negative number (ValidateNonnegativeField). */
export function validateNonnegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** Semantic equality of two JSON values: object key order and undefined members do not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/** `field is immutable` when the value changed (ValidateImmutableField); shows the new value. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, field: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [invalid(field, newVal ?? null, 'field is immutable')];
}

/** Label keys must be qualified names and values valid label values; errors sit on the map path. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asObj(labels))) {
    errs.push(...validateLabelName(k, field));
    for (const msg of isValidLabelValue(asStr(v))) errs.push(invalid(field, asStr(v), msg));
  }
  return errs;
}

/** One label key (also used for selector keys, taint and toleration keys). */
export function validateLabelName(name: string, field: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(field, name, msg));
}

/** Annotation keys are qualified names in any case; all of them together may hold 256 KiB. */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(asObj(annotations))) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(asStr(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** Owner references need apiVersion, kind, name and uid; Events may not own; one controller only. */
export function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArr(refs).map(asObj);
  let firstController = '';
  for (const ref of list) {
    const apiVersion = asStr(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    for (const key of ['kind', 'name', 'uid']) {
      if (!asStr(ref[key])) errs.push(invalid(`${field}.${key}`, asStr(ref[key]), 'must not be empty'));
    }
    if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(invalid(field, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller !== true) continue;
    const current = `${asStr(ref.kind)}/${asStr(ref.name)}`;
    if (firstController) {
      errs.push(invalid(field, list, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
    } else {
      firstController = current;
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Finalizers are qualified names; unprefixed ones must be standard; orphan excludes foreground. */
export function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArr(finalizers).map(asStr);
  for (const f of list) errs.push(...isQualifiedName(f).map((msg) => invalid(field, f, msg)));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(field, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  list.forEach((f, i) => {
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(`${field}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/** Options of validateObjectMeta: the kind's scope and name rule. */
export interface ObjectMetaOptions {
  namespaced: boolean;
  nameFn: NameValidator;
}

/**
 * Create-time metadata checks (ValidateObjectMeta): generateName prefix, name required and well
 * formed, namespace required or forbidden by scope, generation, labels, annotations, owners,
 * finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = asStr(meta.generateName);
  if (generateName) errs.push(...opts.nameFn(generateName, true).map((msg) => invalid(`${field}.generateName`, generateName, msg)));
  const name = asStr(meta.name);
  if (!name) errs.push(required(`${field}.name`, 'name or generateName is required'));
  else errs.push(...opts.nameFn(name, false).map((msg) => invalid(`${field}.name`, name, msg)));
  return [...errs, ...validateObjectMetaCommon(meta, opts.namespaced, field)];
}

function validateObjectMetaCommon(meta: ObjectMeta, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = asStr(meta.namespace);
  if (namespaced) {
    if (!ns) errs.push(required(`${field}.namespace`));
    else errs.push(...nameIsDNSLabel(ns, false).map((msg) => invalid(`${field}.namespace`, ns, msg)));
  } else if (ns) {
    errs.push(forbidden(`${field}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(meta.generation, `${field}.generation`));
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${field}.finalizers`));
  return errs;
}

/**
 * Update-time metadata checks (ValidateObjectMetaUpdate): identity fields are immutable, no new
 * finalizers once deleting, and labels, annotations, owners and finalizers stay well formed.
 * The resourceVersion presence check is left to the registry, which fills it before validating.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const added = asArr(meta.finalizers).map(asStr).filter((f) => !asArr(old.finalizers).includes(f));
    if (added.length > 0) {
      const shown = `[]string{${[...new Set(added)].sort().map((f) => JSON.stringify(f)).join(', ')}}`;
      errs.push(forbidden(`${field}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${shown}`));
    }
  }
  errs.push(...validateImmutableField(meta.name ?? '', old.name ?? '', `${field}.name`));
  errs.push(...validateImmutableField(meta.namespace ?? '', old.namespace ?? '', `${field}.namespace`));
  // The registry copies uid and timestamps from the stored object, so only a present value can differ.
  if (meta.uid) errs.push(...validateImmutableField(meta.uid, old.uid ?? '', `${field}.uid`));
  if (meta.creationTimestamp) errs.push(...validateImmutableField(meta.creationTimestamp, old.creationTimestamp ?? null, `${field}.creationTimestamp`));
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${field}.finalizers`));
  return errs;
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** A metav1.LabelSelector: matchLabels as labels, each matchExpression with a usable operator. */
export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  const sel = asObj(selector);
  const errs = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  asArr(sel.matchExpressions).forEach((e, i) => {
    const expr = asObj(e);
    const path = `${field}.matchExpressions[${i}]`;
    const op = asStr(expr.operator);
    const values = asArr(expr.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${path}.operator`, op, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(asStr(expr.key), `${path}.key`));
  });
  return errs;
}

/** Whether LabelSelectorAsSelector would accept the selector (so matching is meaningful). */
export function isSelectorConvertible(selector: unknown): boolean {
  for (const e of asArr(asObj(selector).matchExpressions)) {
    const expr = asObj(e);
    const op = asStr(expr.operator);
    const values = asArr(expr.values).map(asStr);
    if (!SELECTOR_OPERATORS.has(op) || isQualifiedName(asStr(expr.key)).length > 0) return false;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) return false;
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) return false;
    if (values.some((v) => isValidLabelValue(v).length > 0)) return false;
  }
  return Object.entries(asObj(asObj(selector).matchLabels)).every(([k, v]) => isQualifiedName(k).length === 0 && isValidLabelValue(asStr(v)).length === 0);
}

/** A selector with no terms: it selects everything (labels.Everything). */
export function isEmptySelector(selector: unknown): boolean {
  const sel = asObj(selector);
  return (selector !== undefined && selector !== null) && Object.keys(asObj(sel.matchLabels)).length === 0 && asArr(sel.matchExpressions).length === 0;
}

/** Label-selector matching; a missing selector matches nothing, as LabelSelectorAsSelector(nil) does. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (selector === undefined || selector === null) return false;
  const sel = asObj(selector);
  const set = asObj(labels);
  for (const [k, v] of Object.entries(asObj(sel.matchLabels))) if (set[k] !== v) return false;
  for (const e of asArr(sel.matchExpressions)) {
    const expr = asObj(e);
    const key = asStr(expr.key);
    const has = Object.prototype.hasOwnProperty.call(set, key);
    const values = asArr(expr.values);
    const ok = { In: has && values.includes(set[key]), NotIn: !has || !values.includes(set[key]), Exists: has, DoesNotExist: !has }[asStr(expr.operator)];
    if (!ok) return false;
  }
  return true;
}

/**
 * A value shaped like the internal Go struct the apiserver validates: internal types carry no json
 * tags, so a struct in an error message shows Go field names in declaration order.
 * @example goStruct([['Type', 'Foo'], ['RollingUpdate', null]]) // {"Type":"Foo","RollingUpdate":null}
 */
export function goStruct(fields: Array<[string, unknown]>): Obj {
  return Object.fromEntries(fields);
}
