// Ports of apimachinery labels.Set.String / labels.FormatLabels and of metav1.LabelSelectorAsSelector +
// Selector.String / metav1.FormatLabelSelector, as the printers use them.

/** One metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** metav1.LabelSelector as it appears in JSON. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const QUALIFIED_NAME_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const LABEL_VALUE_MAX = 63;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Formats a label map as `k=v` pairs joined by commas, `<none>` when empty.
 * @example formatLabels({ tier: 'web', app: 'shop' }) // 'app=shop,tier=web'
 */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  // labels.Set.String sorts the joined "k=v" strings, not the keys: "a.b=1" sorts before "a=1".
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  pairs.sort(compareBytes);
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

/**
 * The string form of a label selector (requirements sorted by key, `!k`, `k in (a,b)`), or undefined
 * when the selector is invalid. A missing or empty selector gives the empty string.
 * @example labelSelectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] })
 * // 'app=web,tier in (a,b)'
 */
export function labelSelectorString(selector: LabelSelector | null | undefined): string | undefined {
  if (!selector) return '';
  const parts: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!isQualifiedName(key) || !isLabelValue(value)) return undefined;
    parts.push({ key, text: `${key}=${value}` });
  }
  for (const req of selector.matchExpressions ?? []) {
    const text = requirementString(req);
    if (text === undefined) return undefined;
    parts.push({ key: req.key, text });
  }
  parts.sort((a, b) => compareBytes(a.key, b.key));
  return parts.map((p) => p.text).join(',');
}

/**
 * Formats a label selector as kubectl prints it: `<none>` when it selects everything or nothing,
 * `<error>` when it cannot be parsed (metav1.FormatLabelSelector).
 * @example formatLabelSelector({ matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] }) // '!foo'
 */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

function requirementString(req: LabelSelectorRequirement): string | undefined {
  const values = req.values ?? [];
  if (!isQualifiedName(req.key) || !values.every(isLabelValue)) return undefined;
  switch (req.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) return undefined;
      // Selector.String normalises value order on output only.
      const list = [...values].sort(compareBytes).join(',');
      return `${req.key} ${req.operator === 'In' ? 'in' : 'notin'} (${list})`;
    }
    case 'Exists':
      return values.length === 0 ? req.key : undefined;
    case 'DoesNotExist':
      return values.length === 0 ? `!${req.key}` : undefined;
    default:
      return undefined;
  }
}

function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0 || prefix.length > DNS1123_SUBDOMAIN_MAX || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= QUALIFIED_NAME_MAX && NAME_PART.test(name);
}

function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(value);
}

// Go sorts strings by bytes; for the ASCII that label keys and values allow, UTF-16 order is the same.
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
