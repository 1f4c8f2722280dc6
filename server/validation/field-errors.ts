/**
 * Field errors worded like apimachinery's field.Error: `<path>: <Type>[: <value>][: <detail>]`.
 */
export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path as Kubernetes prints it: `spec.template.spec.containers[0].name`. */
  field: string;
  value?: unknown;
  detail?: string;
}

const TYPE_WORDS: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotFound: 'Not found',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
};

/** Types whose rendering never shows the value (field.Error.ErrorBody). */
const VALUELESS = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** Renders a value the way v1.34+ apiservers do: ints and bools bare, strings %q, the rest JSON. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** The part after the field path: `Invalid value: -1: must be greater than or equal to 0`. */
export function errorBody(e: FieldError): string {
  let s = TYPE_WORDS[e.type];
  if (!VALUELESS.has(e.type) && e.value !== undefined) s += `: ${renderValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** The whole error line: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const tooLong = (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` });
export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const detail = supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, value, detail };
}
