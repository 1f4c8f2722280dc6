/**
 * Deployment, ReplicaSet, ReplicationController and DaemonSet validation. Port of kubernetes
 * `pkg/apis/apps/validation/validation.go` (ValidateDeploymentSpec, ValidateRollingUpdateDeployment,
 * ValidatePodTemplateSpecForReplicaSet, ValidateDaemonSetSpec) and the RC part of core validation.
 */
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import {
  asArr, asObj, asStr, goStruct, isEmptySelector, isSelectorConvertible, isSet, selectorMatches, validateAnnotations,
  validateImmutableField, validateLabels, validateLabelSelector, validateNonnegative, type Obj,
} from './metadata.js';
import { GenerationMap } from '../generation-map.js';
import { isValidPercent } from './names.js';
import { validatePodSpec } from './pod.js';

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/** ValidatePodTemplateSpec: template labels, annotations and the pod spec under `<path>.spec`. */
export function validatePodTemplateSpec(template: Obj, path: string): FieldError[] {
  const meta = asObj(template.metadata);
  const errs = validateLabels(meta.labels, `${path}.labels`);
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateTemplatePodSpec(asObj(template.spec), `${path}.spec`));
  if (asArr(asObj(template.spec).ephemeralContainers).length > 0) {
    errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/**
 * validatePodSpec of a template, skipped for a spec whose text was found valid before: a
 * Deployment's template is checked again in each ReplicaSet made from it, and the workloads of one
 * team or chart mostly share a pod spec (only the labels differ). The checks read the spec alone,
 * and the path only words errors, which are never remembered.
 */
function validateTemplatePodSpec(spec: Obj, path: string): FieldError[] {
  const text = JSON.stringify(spec);
  if (validTemplateSpecs.get(text)) return [];
  const errs = validatePodSpec(spec, path, { isPod: false });
  if (errs.length === 0) validTemplateSpecs.set(text, true);
  return errs;
}

const validTemplateSpecs = new GenerationMap<string, true>(256);

/**
 * A controller's template: present, labelled to match the selector, a valid pod template,
 * restartPolicy Always and no activeDeadlineSeconds. `owner` names the kind in the last message
 * (upstream says "ReplicaSet" for Deployments too).
 */
export function validatePodTemplateForController(template: unknown, selector: unknown, path: string, owner: string): FieldError[] {
  if (template === undefined || template === null) return [required(path)];
  const tmpl = asObj(template);
  const labels = asObj(tmpl.metadata).labels;
  const errs: FieldError[] = [];
  if (!isEmptySelector(selector) && !selectorMatches(selector, labels)) errs.push(invalid(`${path}.metadata.labels`, labels ?? null, SELECTOR_MISMATCH));
  errs.push(...validatePodTemplateSpec(tmpl, path));
  errs.push(...alwaysRestartNoDeadline(asObj(tmpl.spec), `${path}.spec`, owner));
  return errs;
}

function alwaysRestartNoDeadline(spec: Obj, path: string, owner: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.restartPolicy !== 'Always') errs.push(notSupported(`${path}.restartPolicy`, asStr(spec.restartPolicy), ['Always']));
  if (isSet(spec, 'activeDeadlineSeconds')) errs.push(forbidden(`${path}.activeDeadlineSeconds`, `activeDeadlineSeconds in ${owner} is not Supported`));
  return errs;
}

/** selector: required, well formed and not empty; `what` ends the empty-selector message. */
function validateSelectorRequired(selector: unknown, path: string, what: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(path)];
  const errs = validateLabelSelector(selector, path);
  if (isEmptySelector(selector)) errs.push(invalid(path, selector, `empty selector is invalid for ${what}`));
  return errs;
}

/** The selector check, then the template check once the selector converts (ValidateReplicaSetSpec style). */
function validateSelectorAndTemplate(spec: Obj, path: string, owner: string): FieldError[] {
  const errs = validateSelectorRequired(spec.selector, `${path}.selector`, 'deployment');
  if (!isSelectorConvertible(spec.selector)) errs.push(invalid(`${path}.selector`, spec.selector, 'invalid label selector'));
  else errs.push(...validatePodTemplateForController(spec.template, spec.selector, `${path}.template`, owner));
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateNonnegative(spec.replicas, `${path}.replicas`);
  errs.push(...validateSelectorAndTemplate(spec, path, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(asObj(spec.strategy), `${path}.strategy`));
  errs.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  if (isSet(spec, 'progressDeadlineSeconds')) {
    const pds = Number(spec.progressDeadlineSeconds);
    errs.push(...validateNonnegative(pds, `${path}.progressDeadlineSeconds`));
    if (pds <= Number(spec.minReadySeconds ?? 0)) errs.push(invalid(`${path}.progressDeadlineSeconds`, pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** ValidateDeploymentStrategy: Recreate forbids rollingUpdate; RollingUpdate needs sane fenceposts. */
export function validateDeploymentStrategy(strategy: Obj, path: string): FieldError[] {
  switch (strategy.type) {
    case 'Recreate':
      return isSet(strategy, 'rollingUpdate') ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (!isSet(strategy, 'rollingUpdate')) return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      return validateRollingUpdateDeployment(asObj(strategy.rollingUpdate), `${path}.rollingUpdate`);
    default:
      return [notSupported(path, goStrategy(strategy), ['Recreate', 'RollingUpdate'])];
  }
}

/** A Deployment or DaemonSet strategy as the internal Go struct prints in an error message. */
function goStrategy(strategy: Obj): Obj {
  const ru = isSet(strategy, 'rollingUpdate') ? asObj(strategy.rollingUpdate) : undefined;
  const rolling = ru ? goStruct([['MaxUnavailable', ru.maxUnavailable ?? 0], ['MaxSurge', ru.maxSurge ?? 0]]) : null;
  return goStruct([['Type', asStr(strategy.type)], ['RollingUpdate', rolling]]);
}

/** ValidateRollingUpdateDeployment: both not zero, maxUnavailable at most 100%. */
function validateRollingUpdateDeployment(ru: Obj, path: string): FieldError[] {
  const errs = validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`);
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalid(`${path}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** ValidatePositiveIntOrPercent: a non-negative int or a `<digits>%` string. */
export function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(field, v, m));
  return validateNonnegative(v, field);
}

/** getIntOrPercentValue: the percent number, the int, or Atoi of a malformed string (often 0). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return 0;
  if (isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}

/** IsNotMoreThan100Percent: `must not be greater than 100%` for percents above 100. */
export function isNotMoreThan100Percent(v: unknown, field: string): FieldError[] {
  return typeof v === 'string' && isValidPercent(v).length === 0 && Number(v.slice(0, -1)) > 100 ? [invalid(field, v, 'must not be greater than 100%')] : [];
}

/** ValidateDeploymentUpdate plus the apps/v1 strategy's immutable selector. */
export function validateDeploymentSpecUpdate(spec: Obj, old: Obj, path: string): FieldError[] {
  return [...validateDeploymentSpec(spec, path), ...validateImmutableField(spec.selector, old.selector, `${path}.selector`)];
}

/** ValidateReplicaSetSpec (its empty-selector text says "deployment", as upstream's does). */
export function validateReplicaSetSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateNonnegative(spec.replicas, `${path}.replicas`);
  errs.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  errs.push(...validateSelectorAndTemplate(spec, path, 'ReplicaSet'));
  return errs;
}

/** ValidateReplicationControllerSpec: a plain-map selector that must not be empty. */
export function validateReplicationControllerSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`);
  const selector = asObj(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(required(`${path}.selector`));
  errs.push(...validateNonnegative(spec.replicas, `${path}.replicas`));
  const asSelector = Object.keys(selector).length > 0 ? { matchLabels: selector } : {};
  errs.push(...validatePodTemplateForController(spec.template, asSelector, `${path}.template`, 'ReplicationController'));
  return errs;
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateLabelSelector(spec.selector, `${path}.selector`);
  const template = asObj(spec.template);
  const labels = asObj(template.metadata).labels;
  if (isSelectorConvertible(spec.selector) && !isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(invalid(`${path}.template.metadata.labels`, labels ?? null, SELECTOR_MISMATCH));
  }
  if (isEmptySelector(spec.selector)) errs.push(invalid(`${path}.selector`, spec.selector, 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(template, `${path}.template`));
  errs.push(...alwaysRestartNoDeadline(asObj(template.spec), `${path}.template.spec`, 'DaemonSet'));
  errs.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  errs.push(...validateDaemonSetUpdateStrategy(asObj(spec.updateStrategy), `${path}.updateStrategy`));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  return errs;
}

function validateDaemonSetUpdateStrategy(strategy: Obj, path: string): FieldError[] {
  if (strategy.type === 'OnDelete') return [];
  if (strategy.type !== 'RollingUpdate') return [notSupported(path, goStrategy(strategy), ['RollingUpdate', 'OnDelete'])];
  if (!isSet(strategy, 'rollingUpdate')) return [required(`${path}.rollingUpdate`)];
  const ru = asObj(strategy.rollingUpdate);
  const p = `${path}.rollingUpdate`;
  const errs = validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`);
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
  errs.push(...isNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** Update checks of the apps/v1 strategies for ReplicaSets and DaemonSets: the selector is fixed. */
export function validateSelectorImmutable(spec: Obj, old: Obj, path: string): FieldError[] {
  return validateImmutableField(spec.selector, old.selector, `${path}.selector`);
}
