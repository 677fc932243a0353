// When a certificate is due for renewal. Node's built-in X509Certificate only, so
// that the CLI can check its bundle on every start without loading @peculiar/x509.
import { X509Certificate } from 'node:crypto'

/** A certificate is renewed once less than this share of its lifetime is left. */
export const RENEW_WHEN_LEFT = 1 / 3

/** notBefore and notAfter of a PEM certificate, in ms since the epoch; throws if unparsable. */
export function certValidity(pem: string): { notBefore: number; notAfter: number } {
  const cert = new X509Certificate(pem)
  return { notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) }
}

/** When renewal of the certificate falls due: the moment a third of notBefore..notAfter is left. */
export function renewalTime(pem: string): number {
  const { notBefore, notAfter } = certValidity(pem)
  return notAfter - (notAfter - notBefore) * RENEW_WHEN_LEFT
}

/**
 * Returns why the certificate must be renewed at `now`, or undefined when it need not:
 * 'expiring' when less than a third of its lifetime is left (or it has expired),
 * 'root' when `rootPem` is given and did not issue it (the swarm's root CA changed).
 */
export function renewalReason(certPem: string, now: number, rootPem?: string): 'expiring' | 'root' | undefined {
  if (now >= renewalTime(certPem)) return 'expiring'
  if (rootPem !== undefined && !signedBy(certPem, rootPem)) return 'root'
  return undefined
}

/** Whether `issuerPem`'s key signed `certPem` and its subject is the certificate's issuer; false if either is unparsable. */
export function signedBy(certPem: string, issuerPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem)
    const issuer = new X509Certificate(issuerPem)
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}
