/**
 * apimachinery's client-side validation texts that kubectl prints for label values and qualified
 * names (k8s.io/apimachinery/pkg/util/validation/validation.go).
 */

const QUALIFIED_NAME_MAX_CHARS = 63;
const DNS1123_SUBDOMAIN_MAX_CHARS = 253;
const LABEL_VALUE_MAX_CHARS = 63;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART_FORMAT =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_FORMAT =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS1123_SUBDOMAIN_FORMAT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** IsValidLabelValue: the problems of a label value, none when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_CHARS) errs.push(`must be no more than ${LABEL_VALUE_MAX_CHARS} characters`);
  if (!LABEL_VALUE.test(value)) errs.push(LABEL_VALUE_FORMAT);
  return errs;
}

/** IsQualifiedName: the problems of a label key or taint key, none when valid. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = parts[0]!;
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > DNS1123_SUBDOMAIN_MAX_CHARS) errs.push(`prefix part must be no more than ${DNS1123_SUBDOMAIN_MAX_CHARS} characters`);
      if (!DNS1123_SUBDOMAIN.test(prefix)) errs.push(`prefix part ${DNS1123_SUBDOMAIN_FORMAT}`);
    }
  } else if (parts.length > 2) {
    return [`a qualified name ${NAME_PART_FORMAT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX_CHARS) errs.push(`name part must be no more than ${QUALIFIED_NAME_MAX_CHARS} characters`);
  if (!NAME_PART.test(name)) errs.push(`name part ${NAME_PART_FORMAT}`);
  return errs;
}
