// Parsing of resource.Quantity strings (apimachinery pkg/api/resource/quantity.go): a signed decimal
// number, optionally with a decimal exponent (`2e3`), a decimal SI suffix (`m`, `k`, `M`, `G`, …) or a
// binary suffix (`Ki`, `Mi`, `Gi`, …). Values are kept exact with BigInt and rounded up only at the end,
// as Quantity.Value / Quantity.MilliValue round towards +infinity.

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const DECIMAL_SUFFIX_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const BINARY_SUFFIX_POWERS: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

/** An exact quantity: `mantissa × 10^exp10 × 2^exp2`. */
interface ExactQuantity {
  mantissa: bigint;
  exp10: number;
  exp2: number;
}

/** Raised for a string that is not a Kubernetes quantity. */
export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
  constructor(input: string) {
    // Wording of apimachinery's ErrFormatWrong.
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(input)}`);
  }
}

function parseExact(input: string | number): ExactQuantity {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = QUANTITY.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (!m || (intPart === '' && fracPart === '')) throw new QuantityParseError(text);
  const sign = m[1] === '-' ? -1n : 1n;
  let exp10 = -fracPart.length;
  let exp2 = 0;
  if (m[4] !== undefined) exp10 += Number(m[4].slice(1));
  const suffix = m[5];
  if (suffix !== undefined) {
    if (suffix in BINARY_SUFFIX_POWERS) exp2 = BINARY_SUFFIX_POWERS[suffix] ?? 0;
    else exp10 += DECIMAL_SUFFIX_EXPONENTS[suffix] ?? 0;
  }
  return { mantissa: sign * BigInt(`${intPart}${fracPart}` || '0'), exp10, exp2 };
}

/** Divides rounding towards +infinity (BigInt division truncates towards zero). */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

function scaled(input: string | number, extraExp10: number): number {
  const { mantissa, exp10, exp2 } = parseExact(input);
  const e = exp10 + extraExp10;
  let numerator = mantissa * 2n ** BigInt(exp2);
  let denominator = 1n;
  if (e >= 0) numerator *= 10n ** BigInt(e);
  else denominator = 10n ** BigInt(-e);
  return Number(ceilDiv(numerator, denominator));
}

/**
 * Parses a quantity to a (possibly fractional) number of base units.
 * @example parseQuantity('64Mi') // 67108864
 * @example parseQuantity('100m') // 0.1
 * @throws {QuantityParseError} when the string is not a quantity.
 */
export function parseQuantity(input: string | number): number {
  const { mantissa, exp10, exp2 } = parseExact(input);
  return Number(mantissa) * 10 ** exp10 * 2 ** exp2;
}

/**
 * The amount of a string when it parses as a quantity (resource.ParseQuantity), else undefined.
 * @example quantityOrUndefined('512Mi') // 536870912
 * @example quantityOrUndefined('node01') // undefined
 */
export function quantityOrUndefined(input: string): number | undefined {
  try {
    return parseQuantity(input);
  } catch (e) {
    if (e instanceof QuantityParseError) return undefined;
    throw e;
  }
}

/**
 * The integer value of a quantity in base units, rounded up (Quantity.Value).
 * @example quantityValue('1.5') // 2
 */
export function quantityValue(input: string | number): number {
  return scaled(input, 0);
}

/**
 * The value of a quantity in thousandths of a unit, rounded up (Quantity.MilliValue); for cpu this is
 * millicores.
 * @example quantityMilliValue('1.5') // 1500
 */
export function quantityMilliValue(input: string | number): number {
  return scaled(input, 3);
}

/**
 * A cpu quantity in millicores; alias of {@link quantityMilliValue} named for its main use.
 * @example cpuMillicores('250m') // 250
 */
export function cpuMillicores(input: string | number): number {
  return quantityMilliValue(input);
}
