import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  QuantityParseError,
  cpuMillicores,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
} from '../../../schemas/format/quantity.js';

describe('parseQuantity', () => {
  const cases: Array<[input: string | number, want: number]> = [
    ['0', 0],
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['100m', 0.1],
    ['64Mi', 64 * 1024 * 1024],
    ['1Ki', 1024],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['1k', 1000],
    ['2e3', 2000],
    ['2E3', 2000],
    ['1e-3', 0.001],
    ['1E', 1e18],
    ['-1', -1],
    ['+2', 2],
    ['500u', 0.0005],
    ['3n', 3e-9],
    [4, 4],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want}`, () => assert.ok(Math.abs(parseQuantity(input) - want) <= Math.abs(want) * 1e-12));
  }

  for (const bad of ['', 'abc', '1Z', '1.2.3', 'Mi', '1 Mi', '1e', '1KiB', '.']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseQuantity(bad), QuantityParseError));
  }
});

describe('quantityValue', () => {
  const cases: Array<[input: string, want: number]> = [
    ['1', 1],
    ['1.5', 2], // rounds up, as Quantity.Value
    ['100m', 1],
    ['128974848', 128974848],
    ['129e6', 129000000],
    ['123Mi', 128974848],
    ['1.5Gi', 1610612736],
    ['-1.5', -1],
  ];
  for (const [input, want] of cases) it(`${input} → ${want}`, () => assert.equal(quantityValue(input), want));
});

describe('quantityMilliValue / cpuMillicores', () => {
  const cases: Array<[input: string | number, want: number]> = [
    ['100m', 100],
    ['1', 1000],
    ['1.1', 1100], // exact: no float error
    ['0.5', 500],
    ['2', 2000],
    ['1u', 1], // rounds up to the next millicore
    ['250m', 250],
    ['1k', 1_000_000],
    [0.25, 250],
  ];
  for (const [input, want] of cases) {
    it(`${input} → ${want}`, () => {
      assert.equal(quantityMilliValue(input), want);
      assert.equal(cpuMillicores(input), want);
    });
  }
});
