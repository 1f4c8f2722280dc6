/**
 * The format of a drill file (`drills/*.yaml`): what `kd drill` reads to put the cluster into a
 * starting state, tell the user the task and grade the result. The types describe a validated
 * file; `validateDrill` checks a parsed document against the JSON schema with Ajv.
 */
import { Ajv, type ErrorObject } from 'ajv';

/** An object a check or a setup step points at; `apiVersion` defaults per kind (cli/drill/kinds.ts). */
export interface ObjectRef {
  kind: string;
  apiVersion?: string;
  name: string;
  /** Defaults to `default` for namespaced kinds. */
  namespace?: string;
}

/** How many things a check expects; any combination, all must hold. */
export interface CountExpectation {
  count?: number;
  min?: number;
  max?: number;
}

/** A field of one object, read with a kubectl JSONPath template such as `{.spec.replicas}`. */
export interface FieldCheck {
  object: ObjectRef;
  path: string;
  /** The rendered value equals this text (numbers and booleans are compared as kubectl prints them). */
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  /** The rendered value matches this regular expression. */
  matches?: string;
  /** Whether the path finds a non-empty value (an absent object counts as not found). */
  exists?: boolean;
}

/** Pods picked by namespace, label selector, phase, readiness and node, then counted. */
export interface PodsCheck extends CountExpectation {
  namespace?: string;
  selector?: string;
  phase?: string;
  ready?: boolean;
  node?: string;
  notNode?: string;
  /** Only pods that are not being deleted (no deletionTimestamp). */
  notTerminating?: boolean;
  /** Only pods the scheduler could not place (PodScheduled False, reason Unschedulable). */
  unschedulable?: boolean;
  /** Only pods with a container waiting for this reason (CrashLoopBackOff, ImagePullBackOff…). */
  waitingReason?: string;
  /** Every picked pod's first container runs this image. */
  image?: string;
}

/** A condition of an object's `status.conditions`. */
export interface ConditionCheck {
  object: ObjectRef;
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
}

/** An Event about an object with the given reason. */
export interface EventCheck {
  object: ObjectRef;
  reason: string;
  /** Whether such an Event must exist (default) or must not. */
  present?: boolean;
}

/** Ready addresses of the Endpoints object of a Service. */
export interface EndpointsCheck extends CountExpectation {
  namespace?: string;
  name: string;
}

/** A Deployment whose rollout is complete, as `kubectl rollout status` decides it. */
export interface RolloutCheck {
  object: ObjectRef;
  /** The Deployment's `deployment.kubernetes.io/revision`, when the drill cares which. */
  revision?: number;
}

/** Objects of a kind (optionally by label selector) counted. */
export interface ObjectsCheck extends CountExpectation {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  selector?: string;
}

/** One graded assertion: a description and exactly one kind of check. */
export interface DrillCheck {
  name: string;
  field?: FieldCheck;
  pods?: PodsCheck;
  condition?: ConditionCheck;
  event?: EventCheck;
  endpoints?: EndpointsCheck;
  rollout?: RolloutCheck;
  objects?: ObjectsCheck;
}

/** A fault of the daemon's admin API (`POST /kubedojo/faults`), e.g. `{type: KubeletStopped, node: node02}`. */
export interface FaultSpec {
  type: string;
  [key: string]: unknown;
}

/** One setup step, run in order; exactly one key is set. */
export interface SetupStep {
  /** YAML manifests (one or more documents) created, or merge-patched when they exist. */
  apply?: string;
  /** A JSON merge patch of an existing object. */
  patch?: { object: ObjectRef; patch: Record<string, unknown> };
  delete?: ObjectRef;
  fault?: FaultSpec;
  /** Moves the virtual clock on, firing every timer due on the way. */
  advanceSeconds?: number;
  /** Checks that must all pass before setup goes on: the broken state has been reached. */
  waitFor?: DrillCheck[];
  /** Wall-clock limit of a waitFor step (default 90). */
  timeoutSeconds?: number;
}

/** A whole drill file. */
export interface Drill {
  name: string;
  title: string;
  difficulty: 'easy' | 'medium' | 'hard';
  goal: string;
  setup: SetupStep[];
  checks: DrillCheck[];
  hints: string[];
  /** Minutes the drill should take at most; `kd drill check` prints elapsed time against it. */
  timeLimitMinutes?: number;
}

const OBJECT_REF = {
  type: 'object',
  required: ['kind', 'name'],
  additionalProperties: false,
  properties: { kind: { type: 'string', minLength: 1 }, apiVersion: { type: 'string' }, name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } },
};
const SCALAR = { type: ['string', 'number', 'boolean'] };
const COUNTS = { count: { type: 'integer', minimum: 0 }, min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } };
const CHECK_KINDS = {
  field: {
    type: 'object',
    required: ['object', 'path'],
    additionalProperties: false,
    properties: { object: OBJECT_REF, path: { type: 'string', pattern: '^\\{.*\\}$' }, equals: SCALAR, notEquals: SCALAR, matches: { type: 'string' }, exists: { type: 'boolean' } },
    minProperties: 3,
  },
  pods: {
    type: 'object',
    additionalProperties: false,
    properties: {
      namespace: { type: 'string' }, selector: { type: 'string' }, phase: { type: 'string' }, ready: { type: 'boolean' }, node: { type: 'string' },
      notNode: { type: 'string' }, notTerminating: { type: 'boolean' }, unschedulable: { type: 'boolean' }, waitingReason: { type: 'string' },
      image: { type: 'string' }, ...COUNTS,
    },
  },
  condition: {
    type: 'object',
    required: ['object', 'type', 'status'],
    additionalProperties: false,
    properties: { object: OBJECT_REF, type: { type: 'string' }, status: { enum: ['True', 'False', 'Unknown'] }, reason: { type: 'string' } },
  },
  event: { type: 'object', required: ['object', 'reason'], additionalProperties: false, properties: { object: OBJECT_REF, reason: { type: 'string' }, present: { type: 'boolean' } } },
  endpoints: { type: 'object', required: ['name'], additionalProperties: false, properties: { namespace: { type: 'string' }, name: { type: 'string' }, ...COUNTS } },
  rollout: { type: 'object', required: ['object'], additionalProperties: false, properties: { object: OBJECT_REF, revision: { type: 'integer', minimum: 1 } } },
  objects: {
    type: 'object',
    required: ['kind'],
    additionalProperties: false,
    properties: { kind: { type: 'string' }, apiVersion: { type: 'string' }, namespace: { type: 'string' }, selector: { type: 'string' }, ...COUNTS },
  },
};
const CHECK = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1 }, ...CHECK_KINDS },
  oneOf: Object.keys(CHECK_KINDS).map((k) => ({ required: [k] })),
};
const STEP_KINDS = {
  apply: { type: 'string', minLength: 1 },
  patch: { type: 'object', required: ['object', 'patch'], additionalProperties: false, properties: { object: OBJECT_REF, patch: { type: 'object' } } },
  delete: OBJECT_REF,
  fault: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
  advanceSeconds: { type: 'number', exclusiveMinimum: 0 },
  waitFor: { type: 'array', minItems: 1, items: CHECK },
};
const STEP = {
  type: 'object',
  additionalProperties: false,
  properties: { ...STEP_KINDS, timeoutSeconds: { type: 'number', exclusiveMinimum: 0 } },
  oneOf: Object.keys(STEP_KINDS).map((k) => ({ required: [k] })),
};

/** The JSON schema of a drill file. */
export const DRILL_SCHEMA = {
  type: 'object',
  required: ['name', 'title', 'difficulty', 'goal', 'setup', 'checks', 'hints'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    title: { type: 'string', minLength: 1 },
    difficulty: { enum: ['easy', 'medium', 'hard'] },
    goal: { type: 'string', minLength: 1 },
    setup: { type: 'array', items: STEP },
    checks: { type: 'array', minItems: 1, items: CHECK },
    hints: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    timeLimitMinutes: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | undefined;

/**
 * Checks a parsed drill document; returns it typed, or throws with every schema error as
 * `<path> <message>`, one per line.
 *
 * @example
 * const drill = validateDrill(parse(readFileSync('drills/rollout-undo.yaml', 'utf8')), 'rollout-undo.yaml');
 */
export function validateDrill(doc: unknown, source: string): Drill {
  compiled ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(DRILL_SCHEMA);
  if (compiled(doc)) return doc as Drill;
  const lines = (compiled.errors ?? []).map((e: ErrorObject) => `  ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  throw new Error(`Cannot load the drill '${source}' as it does not match the drill schema:\n${lines.join('\n')}`);
}
