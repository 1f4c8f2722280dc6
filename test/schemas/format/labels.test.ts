import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabels, formatLabelSelector, labelSelectorString, type LabelSelector } from '../../../schemas/format/labels.js';

describe('formatLabels', () => {
  const cases: Array<[name: string, labels: Record<string, string> | undefined, want: string]> = [
    ['undefined', undefined, '<none>'],
    ['empty', {}, '<none>'],
    ['one', { foo: 'bar' }, 'foo=bar'],
    ['sorted', { tier: 'web', app: 'shop' }, 'app=shop,tier=web'],
    // labels.Set.String sorts the joined pairs: '.' sorts before '='.
    ['sorted by pair, not key', { a: '2', 'a.b': '1' }, 'a.b=1,a=2'],
    ['empty value', { flag: '' }, 'flag='],
  ];
  for (const [name, labels, want] of cases) it(name, () => assert.equal(formatLabels(labels), want));
});

describe('formatLabelSelector', () => {
  const cases: Array<[name: string, selector: LabelSelector | undefined, want: string]> = [
    ['nil selector selects nothing', undefined, '<none>'],
    ['empty selector selects everything', {}, '<none>'],
    ['matchLabels', { matchLabels: { app: 'web' } }, 'app=web'],
    ['matchLabels sorted by key', { matchLabels: { 'pod-template-hash': '7c5ddbdf54', app: 'web' } }, 'app=web,pod-template-hash=7c5ddbdf54'],
    ['In sorts its values', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, 'tier in (a,b)'],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, 'env notin (prod)'],
    ['Exists', { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    ['DoesNotExist', { matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] }, '!foo'],
    [
      'labels and expressions sorted together by key',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'foo', operator: 'DoesNotExist' }] },
      'app=web,!foo,tier in (a,b)',
    ],
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '<error>'],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, '<error>'],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, '<error>'],
    ['invalid key', { matchLabels: { 'bad key': 'x' } }, '<error>'],
    ['invalid value', { matchLabels: { app: 'has space' } }, '<error>'],
    ['prefixed key', { matchLabels: { 'app.kubernetes.io/name': 'web' } }, 'app.kubernetes.io/name=web'],
    ['upper-case prefix is invalid', { matchLabels: { 'Example.com/name': 'web' } }, '<error>'],
  ];
  for (const [name, selector, want] of cases) it(name, () => assert.equal(formatLabelSelector(selector), want));
});

describe('labelSelectorString', () => {
  it('gives the empty string for an empty selector (printDeployment prints it as is)', () => assert.equal(labelSelectorString({}), ''));
  it('gives undefined for an invalid selector', () => assert.equal(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Nope' }] }), undefined));
});
