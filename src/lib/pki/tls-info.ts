import { X509Certificate } from 'node:crypto'
import * as x509 from '@peculiar/x509'

/** Swarm's TLSInfo for a CA: the PEM, and base64 DER of its subject and public key. */
export function tlsInfoOf(caPem: string): { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string } {
  const cert = new x509.X509Certificate(caPem)
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' })
  return {
    TrustRoot: caPem,
    CertIssuerSubject: Buffer.from(cert.subjectName.toArrayBuffer()).toString('base64'),
    CertIssuerPublicKey: spki.toString('base64'),
  }
}
