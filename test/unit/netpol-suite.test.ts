/**
 * The case suite on the matrix, through the model, against what the netpol
 * e2e expects of the same policies; and the reading of an observed matrix
 * into a per-case verdict.
 */
import { describe, expect, it } from 'vitest';
import { policyCases } from '../../src/netpol/cases.ts';
import { expectedTable, judgeCase, probeKey, type MatrixShape, type PortProtocol, type ProbeCell } from '../../src/netpol/conformance.ts';
import { instantiate, matrixModel, matrixPodName, matrixPodNames, type MatrixNames, type MatrixPodName } from '../../src/netpol/matrix.ts';
import { batchFor } from '../../src/netpol/probe-matrix.ts';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { cellKey } from '../../src/verdict/truth-table.ts';

const names: MatrixNames = { namespace: (s) => `np-r1-${s}`, podName: matrixPodName, ipOf: (pod) => `10.244.${matrixPodNames.indexOf(pod) % 2 + 1}.${matrixPodNames.indexOf(pod) + 10}`, podCidr: '10.244.0.0/16' };
const model = matrixModel(names, ['TCP', 'UDP']);
const at: PortProtocol[] = [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 81, protocol: 'UDP' }];
const shape: MatrixShape = {
  rows: [...matrixPodNames, 'node:worker'],
  columns: matrixPodNames,
  at,
  modelPod: new Map(matrixPodNames.map((p) => [p, matrixPodName(p)])),
  identity: (column) => `np-r1-${matrixPodName(column as MatrixPodName)}`,
};
const caseNamed = (name: string) => policyCases.find((c) => c.name === name)!.policies.map((p) => instantiate(p, names));
/** The cells (row→column at port/protocol) the model blocks for a case. */
const blocked = (name: string) =>
  at.flatMap((p) => [...expectedTable(shape, model, caseNamed(name), p).expected].filter(([, reach]) => reach === 'blocked').map(([key]) => `${key} ${p.port}/${p.protocol}`));
const into = (column: string) => matrixPodNames.filter((row) => row !== column).map((row) => cellKey(row, column));

describe('the case suite', () => {
  it('has at least 20 cases, each named once, each instantiated into the run (namespaces, namespace selectors, ipBlocks)', () => {
    expect(policyCases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(policyCases.map((c) => c.name)).size).toBe(policyCases.length);
    const json = JSON.stringify(policyCases.flatMap((c) => c.policies.map((p) => instantiate(p, names))));
    expect(json).not.toMatch(/"namespace":"[xyz]"|"ns":"[xyz]"|\$ip|\$podCidr|"kubernetes.io\/metadata.name":"[xyz]"/);
    expect(json).toContain('"cidr":"10.244.1.14/32"');
  });

  it('every case leaves some judged cell open, and all but the allow-all ones (a deny reopened) block some', () => {
    for (const policyCase of policyCases) {
      const cells = blocked(policyCase.name).length;
      if (!policyCase.name.startsWith('allow-all')) expect(cells, policyCase.name).toBeGreaterThan(0);
      else expect(cells, policyCase.name).toBe(0);
      expect(cells, policyCase.name).toBeLessThan(72 * at.length);
    }
  });

  it('e2e "default-deny-ingress": every pod into x blocked on every port, nothing else', () => {
    expect(blocked('deny-all-ingress').sort()).toEqual(at.flatMap((p) => ['x/a', 'x/b', 'x/c'].flatMap((col) => into(col).map((k) => `${k} ${p.port}/${p.protocol}`))).sort());
  });

  it('e2e "PodSelector and NamespaceSelector": only y/b reaches x/a; "or": all of y and x/b', () => {
    const open = (name: string) => into('x/a').filter((k) => !blocked(name).includes(`${k} 80/TCP`)).map((k) => k.split('→')[0]);
    expect(open('from-namespace-and-pod')).toEqual(['y/b']);
    expect(open('from-namespace-or-pod')).toEqual(['x/b', 'y/a', 'y/b', 'y/c']);
    expect(open('namespace-match-expressions')).toEqual(['x/b', 'x/c', 'z/a', 'z/b', 'z/c']);
    expect(open('namespace-by-name')).toEqual(['z/a', 'z/b', 'z/c']);
  });

  it('ports: a named UDP port opens 81/UDP only, a range 81–9000 TCP opens 81/TCP only, protocol-only opens UDP', () => {
    const openAt = (name: string) => at.filter((p) => !blocked(name).includes(`${cellKey('y/a', 'x/a')} ${p.port}/${p.protocol}`)).map((p) => `${p.port}/${p.protocol}`);
    expect(openAt('named-udp-port')).toEqual(['81/UDP']);
    expect(openAt('named-port')).toEqual(['80/TCP']);
    expect(openAt('port-range')).toEqual(['81/TCP']);
    expect(openAt('protocol-only')).toEqual(['80/UDP', '81/UDP']);
    expect(openAt('numbered-port')).toEqual(['81/TCP']);
  });

  it('e2e "egress access to server in CIDR block": x/a reaches y/b only; "except clause": every pod but y/b', () => {
    expect(blocked('egress-ip-block-except').filter((k) => k.endsWith('80/TCP'))).toEqual([`${cellKey('x/a', 'y/b')} 80/TCP`]);
    expect(blocked('egress-ip-block').filter((k) => k.endsWith('80/TCP')).map((k) => k.split(' ')[0])).toEqual(matrixPodNames.filter((p) => p !== 'x/a' && p !== 'y/b').map((p) => cellKey('x/a', p)));
  });

  it('policyTypes defaulted from egress rules: x/a isolated for ingress too', () => {
    const cells = blocked('policy-types-defaulted').filter((k) => k.endsWith('80/TCP')).map((k) => k.split(' ')[0]);
    expect(cells).toEqual(expect.arrayContaining(into('x/a')));
    expect(cells).toContain(cellKey('x/a', 'z/c'));
    expect(cells).not.toContain(cellKey('x/a', 'y/c'));
  });
});

describe('judging an observed matrix', () => {
  const connected = (column: string): ProbeCell => ({ outcome: { kind: 'http-status', status: 200 }, answeredBy: shape.identity(column) });
  const matrix = (cell: (row: string, column: string, p: PortProtocol) => ProbeCell) =>
    new Map(shape.rows.flatMap((row) => shape.columns.flatMap((column) => at.map((p) => [probeKey(row, column, p), cell(row, column, p)] as const))));
  const open = matrix((_r, column) => connected(column));
  const timeout: Outcome = { kind: 'timeout', afterMs: 1000 };
  const asModel = (name: string, failed: Outcome) => matrix((row, column, p) => (blocked(name).includes(`${cellKey(row, column)} ${p.port}/${p.protocol}`) ? { outcome: failed } : connected(column)));

  it('conformant when every judged cell is as the model says; the node row and self cells are shown, not judged', () => {
    const observed = asModel('deny-all-ingress', timeout);
    observed.set(probeKey('node:worker', 'x/a', at[0]!), { outcome: timeout });
    observed.set(probeKey('x/a', 'x/a', at[0]!), { outcome: timeout });
    const judged = judgeCase(shape, model, caseNamed('deny-all-ingress'), observed, open);
    expect(judged.verdict).toEqual({ kind: 'conformant' });
    expect(judged.text).toContain('— 80/TCP —');
  });

  it('a refusal where the baseline connected is the filter rejecting: blocked, and listed', () => {
    const judged = judgeCase(shape, model, caseNamed('from-pod-selector'), asModel('from-pod-selector', { kind: 'refused' }), open);
    expect(judged.verdict.kind).toBe('conformant');
    expect(judged.refusedNotDropped.length).toBe(blocked('from-pod-selector').length);
  });

  it('not enforced when every cell stays open; partly, naming the cells, when some differ', () => {
    expect(judgeCase(shape, model, caseNamed('deny-all-ingress'), open, open).verdict.kind).toBe('not enforced');
    const udpIgnored = matrix((row, column, p) => (p.protocol === 'TCP' && blocked('deny-all-ingress').includes(`${cellKey(row, column)} ${p.port}/${p.protocol}`) ? { outcome: timeout } : connected(column)));
    const verdict = judgeCase(shape, model, caseNamed('deny-all-ingress'), udpIgnored, open).verdict;
    expect(verdict.kind).toBe('partly');
    expect(verdict.kind === 'partly' && verdict.differing[0]).toMatch(/^80\/UDP x\/a→x\/b: expected blocked, observed http-status\(200\)/);
  });

  it('an answer from another pod, or a missing probe, is inconclusive, never a verdict', () => {
    const wrong = new Map(open);
    wrong.set(probeKey('y/a', 'x/b', at[1]!), { outcome: { kind: 'http-status', status: 200 }, answeredBy: shape.identity('x/c') });
    wrong.delete(probeKey('y/a', 'x/c', at[2]!));
    const verdict = judgeCase(shape, model, [], wrong, open).verdict;
    expect(verdict.kind).toBe('inconclusive');
    expect(verdict.kind === 'inconclusive' && verdict.cells).toEqual(['81/TCP y/a→x/b: other', '80/UDP y/a→x/c: not probed']);
  });
});

describe('the probe batch of one source', () => {
  it('TCP as HTTP to the pod IP (np-serve names itself), UDP as a datagram, each with an id naming the cell', () => {
    expect(batchFor([{ name: 'y/b', ip: '10.244.1.14' }], [at[0]!, at[3]!], { timeoutSeconds: 1, answerSeconds: 3 })).toEqual([
      { id: 'y/b 80/TCP', kind: 'http', url: 'http://10.244.1.14:80/', read_timeout: 3, timeout: 1 },
      { id: 'y/b 81/UDP', kind: 'udp', host: '10.244.1.14', port: 81, timeout: 1 },
    ]);
  });

  it("an HTTP answer's timeout is the connection's when none is given", () => {
    expect(batchFor([{ name: 'y/b', ip: '10.244.1.14' }], [at[0]!], { timeoutSeconds: 2 })).toEqual([{ id: 'y/b 80/TCP', kind: 'http', url: 'http://10.244.1.14:80/', read_timeout: 2, timeout: 2 }]);
  });
});
