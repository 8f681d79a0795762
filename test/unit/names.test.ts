import { describe, expect, it } from 'vitest';
import { anyRunRuleMarker, labObjectName, runClusterName, runIdOfName, runIdOfRule, runLinkName, runNamePrefix, runNamespace, runResourceName, runRuleMarker, unnamedClusterName, withoutRunIds } from '../../src/lab/names.ts';

// The formats are a contract with sweeps of older runs and with the servers' identities: these literals must not move.
describe('lab names', () => {
  it('builds every name as the lab always has', () => {
    expect(runResourceName('ab12', 'db')).toBe('np-ab12-db');
    expect(runNamePrefix('ab12')).toBe('np-ab12-');
    expect(runNamespace('ab12')).toBe('np-ab12');
    expect(runClusterName('ab12', 'flannel')).toBe('np-ab12-flannel');
    expect(unnamedClusterName(4242, 3)).toBe('np-4242-3');
    expect(runLinkName('ab12', 'h')).toBe('npab12h');
    expect(runRuleMarker('ab12')).toBe('netproof run=ab12');
    expect(labObjectName('deny-ingress')).toBe('np-deny-ingress');
  });

  // A run's own id is 8 hex characters (LabRun); a fixed id of 11 or 12 would not fit with the peer's suffix.
  it('keeps a run link and its peer within IFNAMSIZ (15) for a generated run id', () => {
    expect(`${runLinkName('0123abcd', 'h')}p`.length).toBeLessThanOrEqual(15);
  });

  it('reads the run id back from what it built, and from nothing else', () => {
    expect(runIdOfName(runResourceName('ab12', 'front'))).toBe('ab12');
    expect(runIdOfName(`${runResourceName('ab12', 'x')} (id: 3)`)).toBe('ab12');
    expect(runIdOfName('netproof-worker')).toBeUndefined();
    expect(runIdOfName('kind-control-plane')).toBeUndefined();
    expect(runIdOfRule(`DOCKER-USER -m comment --comment "${runRuleMarker('ab12')} guard" -j DROP`)).toBe('ab12');
    expect(`x ${runRuleMarker('cd34')}`).toContain(anyRunRuleMarker);
  });

  it('masks run ids for comparison across runs', () => {
    expect(withoutRunIds(`answered by ${runResourceName('ab12', 'web')}`)).toBe(withoutRunIds(`answered by ${runResourceName('ef56', 'web')}`));
  });
});
