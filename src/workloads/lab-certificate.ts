import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostExecOrThrow } from '../exec/host-exec.ts';

/** A certificate the lab made for itself: its CA, and a server certificate that CA signed (PEM). */
export interface LabCertificate {
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/** The CA's subject common name for a run: what a client sees as the issuer of the lab's certificates. */
export const labCaName = (runId: string) => `netproof lab CA ${runId}`;

/**
 * Makes a CA and a certificate for `host` (subject CN and subjectAltName
 * DNS), valid one day, with the machine's openssl: nothing is fetched, the
 * keys are made here. The CA's key is deleted with the temporary folder; only
 * the server's key is returned (for a kubernetes.io/tls Secret).
 */
export async function makeLabCertificate(host: string, runId: string): Promise<LabCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'netproof-cert-'));
  const at = (file: string) => join(dir, file);
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await hostExecOrThrow(['openssl', 'req', '-x509', ...newKey, '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '1', '-subj', `/CN=${labCaName(runId)}`]);
    await hostExecOrThrow(['openssl', 'req', ...newKey, '-keyout', at('tls.key'), '-out', at('tls.csr'), '-subj', `/CN=${host}`]);
    await writeFile(at('ext'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
    await hostExecOrThrow(['openssl', 'x509', '-req', '-in', at('tls.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', at('ext'), '-out', at('tls.crt')]);
    const [caCert, cert, key] = await Promise.all(['ca.crt', 'tls.crt', 'tls.key'].map((file) => readFile(at(file), 'utf8')));
    return { caCert: caCert!, cert: cert!, key: key! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
