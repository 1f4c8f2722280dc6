import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isInServiceCIDR, KUBERNETES_SERVICE_IP, nextClusterIP, nextNodePort, NODE_PORT_MAX, NODE_PORT_MIN, RangeFullError,
} from '../../../server/admission/cluster-ip.js';

/** A fixed sequence of "random" numbers, repeated. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** A small deterministic generator (LCG) for property-style loops. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('nextClusterIP', () => {
  it('starts the dynamic range above the 256-address static band', () => {
    assert.equal(nextClusterIP(new Set(), sequence(0)), '10.96.1.1');
    assert.equal(nextClusterIP(new Set(), sequence(0.999999999)), '10.111.255.254');
  });

  it('is deterministic for a given random source', () => {
    assert.equal(nextClusterIP(new Set(), sequence(0.5)), nextClusterIP(new Set(), sequence(0.5)));
    assert.equal(nextClusterIP(new Set(['10.96.0.1', '10.96.0.10']), sequence(0.5)), '10.104.0.128');
  });

  it('scans forward from the random start past used addresses', () => {
    assert.equal(nextClusterIP(new Set(['10.96.1.1', '10.96.1.2']), sequence(0)), '10.96.1.3');
  });

  it('stays inside 10.96.0.0/12 and never hands out the kubernetes service IP', () => {
    const used = new Set<string>();
    const random = lcg(42);
    for (let i = 0; i < 500; i++) {
      const ip = nextClusterIP(used, random);
      assert.ok(isInServiceCIDR(ip), ip);
      assert.notEqual(ip, KUBERNETES_SERVICE_IP);
      assert.ok(!used.has(ip), `${ip} handed out twice`);
      used.add(ip);
    }
  });
});

describe('nextNodePort', () => {
  it('picks from the upper part of 30000-32767 first', () => {
    assert.equal(nextNodePort(new Set(), sequence(0)), 30086);
    assert.equal(nextNodePort(new Set(), sequence(0.99999)), 32767);
    assert.equal(nextNodePort(new Set([30086]), sequence(0)), 30087);
  });

  it('falls back to the static band when the upper part is full, then reports a full range', () => {
    const used = new Set<number>();
    for (let p = 30086; p <= NODE_PORT_MAX; p++) used.add(p);
    assert.equal(nextNodePort(used, sequence(0)), NODE_PORT_MIN);
    for (let p = NODE_PORT_MIN; p < 30086; p++) used.add(p);
    assert.throws(() => nextNodePort(used, sequence(0)), RangeFullError);
  });

  it('never repeats a port', () => {
    const used = new Set<number>();
    const random = lcg(7);
    for (let i = 0; i < 300; i++) {
      const port = nextNodePort(used, random);
      assert.ok(port >= NODE_PORT_MIN && port <= NODE_PORT_MAX);
      assert.ok(!used.has(port));
      used.add(port);
    }
  });
});

describe('isInServiceCIDR', () => {
  it('knows the bounds of 10.96.0.0/12', () => {
    assert.equal(isInServiceCIDR('10.96.0.0'), true);
    assert.equal(isInServiceCIDR('10.111.255.255'), true);
    assert.equal(isInServiceCIDR('10.112.0.0'), false);
    assert.equal(isInServiceCIDR('10.95.255.255'), false);
    assert.equal(isInServiceCIDR('not-an-ip'), false);
  });
});
