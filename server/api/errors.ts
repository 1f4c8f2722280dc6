import type { Status, StatusCause } from '../../schemas/types/meta.js';
import { errorBody, errorString, type FieldError } from '../validation/field-errors.js';

/** An API error that becomes a metav1.Status answer; the error handler is its only serialiser. */
export class StatusError extends Error {
  override name = 'StatusError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
    readonly headers: Record<string, string> = {},
  ) {
    // An answer to a client, not a fault: no stack trace. Capturing one cost more than the rest of
    // a write that fails on a conflict, which controllers hit and retry as upstream's do.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  /** The Status body sent to clients. */
  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** Identifies an object in error messages: group, plural (resource) and name. */
export interface GroupResourceName {
  group: string;
  resource: string;
  name: string;
}

function qualified(gr: { group: string; resource: string }): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** 404 `pods "x" not found`. */
export function notFound(t: GroupResourceName): StatusError {
  return new StatusError(404, 'NotFound', `${qualified(t)} "${t.name}" not found`, { name: t.name, group: t.group, kind: t.resource });
}

/** 409 `deployments.apps "web" already exists`. */
export function alreadyExists(t: GroupResourceName): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualified(t)} "${t.name}" already exists`, { name: t.name, group: t.group, kind: t.resource });
}

/** 409 Conflict with the apiserver's "object has been modified" wording (or another reason). */
export function conflict(t: GroupResourceName, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t)} "${t.name}": ${why}`, { name: t.name, group: t.group, kind: t.resource });
}

/** 422 Invalid built from field errors, worded like apimachinery's NewInvalid. */
export function invalidError(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const lines = errs.map(errorString);
  const text = lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${text}`, { name, group, kind, causes });
}

/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** 405 MethodNotAllowed: `the server does not allow this method on the requested resource`. */
export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** 404 for an unknown path or resource, the apiserver's generic text. */
export function notFoundPath(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}

/** 410 Gone: a watch or list from a compacted resourceVersion. */
export function gone(message = 'too old resource version'): StatusError {
  return new StatusError(410, 'Expired', message);
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(limitBytes: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);
}

/** 500 InternalError with a generic text; the cause is logged, never sent. */
export function internalError(message = 'an error on the server ("") has prevented the request from succeeding'): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);
}
