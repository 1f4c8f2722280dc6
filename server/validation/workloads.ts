/**
 * StatefulSet, Job and CronJob validation. Port of kubernetes `pkg/apis/apps/validation`
 * (ValidateStatefulSetSpec/Update) and `pkg/apis/batch/validation` (ValidateJob, validateCronJobSpec),
 * with robfig/cron v3's ParseStandard error texts for schedules.
 */
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import {
  asObj, asStr, deepEqual, goStruct, isEmptySelector, isSelectorConvertible, isSet, selectorMatches, validateAnnotations,
  validateImmutableField, validateLabels, validateLabelSelector, validateNonnegative, type Obj,
} from './metadata.js';
import { isNotMoreThan100Percent, intOrPercentValue, validatePodTemplateSpec, validatePositiveIntOrPercent } from './deployment.js';
import { isDNS1123Label } from './names.js';

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/**
 * ValidateStatefulSetSpec. Upstream validates only the template's labels and annotations here
 * (not its pod spec: volumeClaimTemplates would make every mount look unresolved).
 */
export function validateStatefulSetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const policy = asStr(spec.podManagementPolicy);
  if (!policy) errs.push(required(`${path}.podManagementPolicy`));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalid(`${path}.podManagementPolicy`, policy, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateStatefulSetUpdateStrategy(asObj(spec.updateStrategy), `${path}.updateStrategy`));
  const retention = asObj(spec.persistentVolumeClaimRetentionPolicy);
  if (isSet(spec, 'persistentVolumeClaimRetentionPolicy')) {
    for (const key of ['whenDeleted', 'whenScaled']) {
      const v = asStr(retention[key]);
      if (v !== 'Retain' && v !== 'Delete') errs.push(notSupported(`${path}.persistentVolumeClaimRetentionPolicy.${key}`, v, ['Retain', 'Delete']));
    }
  }
  errs.push(...validateNonnegative(spec.replicas, `${path}.replicas`));
  errs.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  if (isSet(spec, 'ordinals')) errs.push(...validateNonnegative(asObj(spec.ordinals).start, `${path}.ordinals.start`));
  if (!isSet(spec, 'selector')) errs.push(required(`${path}.selector`));
  else {
    errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
    if (isEmptySelector(spec.selector)) errs.push(invalid(`${path}.selector`, spec.selector, 'empty selector is invalid for statefulset'));
  }
  if (!isSelectorConvertible(spec.selector)) errs.push(invalid(`${path}.selector`, spec.selector, ''));
  else errs.push(...validateStatefulSetTemplate(asObj(spec.template), spec.selector, `${path}.template`));
  const podSpec = asObj(asObj(spec.template).spec);
  if (podSpec.restartPolicy !== 'Always') errs.push(notSupported(`${path}.template.spec.restartPolicy`, asStr(podSpec.restartPolicy), ['Always']));
  if (isSet(podSpec, 'activeDeadlineSeconds')) errs.push(forbidden(`${path}.template.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

function validateStatefulSetTemplate(template: Obj, selector: unknown, path: string): FieldError[] {
  const meta = asObj(template.metadata);
  const errs: FieldError[] = [];
  if (!isEmptySelector(selector) && !selectorMatches(selector, meta.labels)) errs.push(invalid(`${path}.metadata.labels`, meta.labels ?? null, SELECTOR_MISMATCH));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  return errs;
}

function validateStatefulSetUpdateStrategy(strategy: Obj, path: string): FieldError[] {
  switch (asStr(strategy.type)) {
    case '':
      return [required(path)];
    case 'OnDelete':
      return isSet(strategy, 'rollingUpdate') ? [invalid(`${path}.rollingUpdate`, goStatefulSetStrategy(strategy).RollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!isSet(strategy, 'rollingUpdate')) return [];
      const ru = asObj(strategy.rollingUpdate);
      const errs = validateNonnegative(ru.partition, `${path}.rollingUpdate.partition`);
      if (isSet(ru, 'maxUnavailable')) {
        const field = `${path}.rollingUpdate.maxUnavailable`;
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, field));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalid(field, ru.maxUnavailable, 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, field));
      }
      return errs;
    }
    default:
      return [invalid(path, goStatefulSetStrategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/** The internal StatefulSetUpdateStrategy struct as it prints in error messages. */
function goStatefulSetStrategy(strategy: Obj): Obj {
  const ru = isSet(strategy, 'rollingUpdate') ? asObj(strategy.rollingUpdate) : undefined;
  const rolling = ru ? goStruct([['Partition', ru.partition ?? 0], ['MaxUnavailable', ru.maxUnavailable ?? null]]) : null;
  return goStruct([['Type', asStr(strategy.type)], ['RollingUpdate', rolling]]);
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** ValidateStatefulSetUpdate: only the listed spec fields may change. */
export function validateStatefulSetSpecUpdate(spec: Obj, old: Obj, path: string): FieldError[] {
  const errs = validateStatefulSetSpec(spec, path);
  const strip = (s: Obj): Obj => Object.fromEntries(Object.entries(s).filter(([k]) => !STS_MUTABLE.includes(k)));
  if (!deepEqual(strip(spec), strip(old))) {
    errs.push(forbidden(path, `updates to statefulset spec for fields other than ${STS_MUTABLE.slice(0, -1).map((f) => `'${f}'`).join(', ')} and 'minReadySeconds' are forbidden`));
  }
  return errs;
}

/** Job-spec checks shared by Jobs and CronJob job templates (validateJobSpec). */
function validateJobSpecCommon(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...validateNonnegative(spec[key], `${path}.${key}`));
  }
  if (isSet(spec, 'completionMode')) {
    const mode = asStr(spec.completionMode);
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed' && !isSet(spec, 'completions')) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (isSet(spec, 'podReplacementPolicy')) {
    const prp = asStr(spec.podReplacementPolicy);
    if (prp !== 'TerminatingOrFailed' && prp !== 'Failed') errs.push(notSupported(`${path}.podReplacementPolicy`, prp, ['Failed', 'TerminatingOrFailed']));
  }
  const template = asObj(spec.template);
  errs.push(...validatePodTemplateSpec(template, `${path}.template`));
  // The pod defaulter fills restartPolicy with Always, so a template without one lands here too.
  const rp = asStr(asObj(template.spec).restartPolicy);
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (rp === 'Always' || rp === '') errs.push(required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(rpPath, rp, ['OnFailure', 'Never']));
  return errs;
}

/** ValidateJobSpec: the common checks plus a required selector matching the template labels. */
export function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (!isSet(spec, 'selector')) errs.push(required(`${path}.selector`));
  else errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const labels = asObj(asObj(spec.template).metadata).labels;
  if (isSelectorConvertible(spec.selector) && !isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(invalid(`${path}.template.metadata.labels`, labels ?? null, SELECTOR_MISMATCH));
  }
  return errs;
}

/**
 * ValidateGeneratedSelector: unless manualSelector is set, the template must carry the generated
 * controller-uid/job-name labels and the selector must select them.
 */
export function validateGeneratedSelector(job: Obj): FieldError[] {
  const spec = asObj(job.spec);
  const meta = asObj(job.metadata);
  if (spec.manualSelector === true || !isSet(spec, 'selector')) return [];
  const errs: FieldError[] = [];
  if (!asStr(meta.uid)) errs.push(required('metadata.uid'));
  const labels = asObj(asObj(asObj(spec.template).metadata).labels);
  const expected: Obj = { 'controller-uid': asStr(meta.uid), 'job-name': asStr(meta.name) };
  for (const [k, v] of Object.entries(expected)) {
    const field = `spec.template.metadata.labels[${k}]`;
    if (!(k in labels)) errs.push(required(field, `must be '${asStr(v)}'`));
    else if (labels[k] !== v) errs.push(invalid(field, labels, `must be '${asStr(v)}'`));
  }
  const all = { ...expected, 'batch.kubernetes.io/controller-uid': meta.uid, 'batch.kubernetes.io/job-name': meta.name };
  if (isSelectorConvertible(spec.selector) && !selectorMatches(spec.selector, all)) errs.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

/** Indexed jobs need `<name>-<completions-1>` to be a valid DNS label (pod hostnames). */
export function validateIndexedJobName(job: Obj): FieldError[] {
  const spec = asObj(job.spec);
  const name = asStr(asObj(job.metadata).name);
  const completions = Number(spec.completions ?? 0);
  if (spec.completionMode !== 'Indexed' || completions <= 0) return [];
  const host = `${name}-${completions - 1}`;
  return isDNS1123Label(host).length > 0 ? [invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${host}`)] : [];
}

/** ValidateJobSpecUpdate: completions, selector, template and completionMode are fixed. */
export function validateJobSpecUpdate(spec: Obj, old: Obj, path: string): FieldError[] {
  const errs = validateJobSpec(spec, path);
  errs.push(...validateImmutableField(spec.completions, old.completions, `${path}.completions`));
  errs.push(...validateImmutableField(spec.selector, old.selector, `${path}.selector`));
  errs.push(...validateImmutableField(spec.template, old.template, `${path}.template`));
  errs.push(...validateImmutableField(spec.completionMode, old.completionMode, `${path}.completionMode`));
  return errs;
}

/** validateCronJobSpec; `old` is the stored spec on update (TZ in an old schedule stays allowed). */
export function validateCronJobSpec(spec: Obj, old: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = asStr(spec.schedule);
  if (!schedule) errs.push(required(`${path}.schedule`));
  else errs.push(...validateScheduleFormat(schedule, spec.timeZone, asStr(old?.schedule).includes('TZ'), `${path}.schedule`));
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, `${path}.startingDeadlineSeconds`));
  if (!old || !deepEqual(old.timeZone, spec.timeZone)) errs.push(...validateTimeZone(spec.timeZone, `${path}.timeZone`));
  const cp = asStr(spec.concurrencyPolicy);
  if (!cp) errs.push(required(`${path}.concurrencyPolicy`));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported(`${path}.concurrencyPolicy`, cp, ['Allow', 'Forbid', 'Replace']));
  const jt = asObj(asObj(spec.jobTemplate).spec);
  const jtPath = `${path}.jobTemplate.spec`;
  errs.push(...validateJobSpecCommon(jt, jtPath));
  if (isSet(jt, 'selector')) errs.push(invalid(`${jtPath}.selector`, jt.selector, '`selector` will be auto-generated'));
  if (jt.manualSelector === true) errs.push(notSupported(`${jtPath}.manualSelector`, true, ['nil', 'false']));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, `${path}.successfulJobsHistoryLimit`));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, `${path}.failedJobsHistoryLimit`));
  return errs;
}

function validateScheduleFormat(schedule: string, timeZone: unknown, allowTZ: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const err = parseCronStandard(schedule);
  if (err) errs.push(invalid(field, schedule, err));
  if (schedule.includes('TZ')) {
    if (!allowTZ) errs.push(invalid(field, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined && timeZone !== null) errs.push(invalid(field, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

function validateTimeZone(tz: unknown, field: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const name = asStr(tz);
  if (!name) return [invalid(field, name, 'timeZone must be nil or non-empty string')];
  if (name.toLowerCase() === 'local') return [invalid(field, name, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(name) ? [] : [invalid(field, name, `unknown time zone ${name}`)];
}

/** Whether Go's time.LoadLocation would find the zone (ICU's list stands in for the tz database). */
function isKnownTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const CRON_BOUNDS: Array<[number, number, string[] | undefined]> = [
  [0, 59, undefined],
  [0, 23, undefined],
  [1, 31, undefined],
  [1, 12, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']],
  [0, 6, ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']],
];
const CRON_DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * robfig/cron v3 ParseStandard: returns the parse error text, or undefined when the schedule is
 * valid (5 fields, names for months and weekdays, `*`/`?`, ranges, steps and lists, descriptors).
 */
export function parseCronStandard(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const space = s.indexOf(' ');
    const loc = s.slice(s.indexOf('=') + 1, space < 0 ? undefined : space);
    if (space < 0 || !isKnownTimeZone(loc)) return `provided bad location ${loc}: unknown time zone ${loc}`;
    s = s.slice(space).trim();
  }
  if (s.startsWith('@')) return parseCronDescriptor(s);
  const fields = s.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i]!.split(',').filter((e) => e !== '')) {
      const err = parseCronRange(expr, CRON_BOUNDS[i]!);
      if (err) return err;
    }
  }
  return undefined;
}

function parseCronDescriptor(s: string): string | undefined {
  if (CRON_DESCRIPTORS.has(s)) return undefined;
  if (s.startsWith('@every ')) {
    const d = s.slice('@every '.length);
    return /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(d) && /[0-9]/.test(d) ? undefined : `failed to parse duration ${s}: time: invalid duration ${JSON.stringify(d)}`;
  }
  return `unrecognized descriptor: ${s}`;
}

function parseCronRange(expr: string, [min, max, names]: [number, number, string[] | undefined]): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end] = [min, max];
  } else {
    if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
    const lo = parseCronInt(lowAndHigh[0]!, names);
    if (typeof lo === 'string') return lo;
    const hi = lowAndHigh.length === 2 ? parseCronInt(lowAndHigh[1]!, names) : lo;
    if (typeof hi === 'string') return hi;
    [start, end] = [lo, hi];
  }
  let step = 1;
  if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (rangeAndStep.length === 2) {
    const st = parseCronInt(rangeAndStep[1]!, undefined);
    if (typeof st === 'string') return st;
    step = st;
    if (lowAndHigh.length === 1) end = max;
  }
  if (start < min) return `beginning of range (${start}) below minimum (${min}): ${expr}`;
  if (end > max) return `end of range (${end}) above maximum (${max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

/** parseIntOrName/mustParseInt: a month or weekday name, else a non-negative integer. */
function parseCronInt(expr: string, names: string[] | undefined): number | string {
  const named = names?.indexOf(expr.toLowerCase()) ?? -1;
  if (named >= 0) return names!.length === 12 ? named + 1 : named;
  if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number(expr);
  return n < 0 ? `negative number (${n}) not allowed: ${expr}` : n;
}
