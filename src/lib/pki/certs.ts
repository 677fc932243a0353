// Leaf certificates signed by the root CA, and reading them back. Subjects follow
// swarmkit: O = cluster, OU = role (swarm-manager / swarm-worker), CN = node ID.
import * as x509 from '@peculiar/x509'
import { X509Certificate } from 'node:crypto'
import { InvalidArgumentError } from '../errors/index.js'
import { BACKDATE_MS, type CertAndKey, toPem } from './ca.js'
import { ECDSA_P256, generateKeyPair, importSigningKey } from './keys.js'

/** Which TLS side a certificate may authenticate. */
export type CertUsage = 'server' | 'client' | 'both'

/** Options of issueKeyAndCertificate. */
export interface IssueOptions {
  ca: CertAndKey
  commonName: string
  organizationalUnit: string
  organization: string
  ips?: string[]
  dnsNames?: string[]
  /** Validity in days; 90 unless told otherwise. */
  days?: number
  /** Validity in milliseconds (the swarm's CAConfig.NodeCertExpiry); wins over days. */
  validityMs?: number
  usage: CertUsage
}

/** Options of issueCertificate: IssueOptions plus the subject's public key. */
export interface IssueCertificateOptions extends IssueOptions {
  publicKeyPem: string
}

/** What certificateInfo reads from a certificate. */
export interface CertificateInfo {
  commonName: string
  organizationalUnit: string
  organization: string
  notAfter: Date
  serialNumber: string
  fingerprint256: string
}

const EXT_USAGES: Record<CertUsage, string[]> = {
  server: [x509.ExtendedKeyUsage.serverAuth],
  client: [x509.ExtendedKeyUsage.clientAuth],
  both: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
}

/** Returns the PEM of a leaf certificate for publicKeyPem, signed by opts.ca; throws InvalidArgumentError on a bad CA or key. */
export async function issueCertificate(opts: IssueCertificateOptions): Promise<string> {
  const caCert = parseCert(opts.ca.certPem, 'CA certificate')
  const signingKey = await importSigningKey(opts.ca.keyPem)
  const publicKey = new x509.PublicKey(opts.publicKeyPem)
  // Valid for the whole period from now on; backdated for clock skew, but by no more than a
  // tenth of a short validity (renewal is due when a third of notBefore..notAfter is left).
  const validityMs = opts.validityMs ?? (opts.days ?? 90) * 86_400_000
  const now = Date.now()
  const notBefore = new Date(now - Math.min(BACKDATE_MS, Math.floor(validityMs / 10)))
  const notAfter = new Date(now + validityMs)
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ]
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(EXT_USAGES[opts.usage]),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ]
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names))
  const cert = await x509.X509CertificateGenerator.create({
    // Go orders a pkix.Name as O, OU, CN; so do we, so subjects read the same.
    subject: [{ O: [opts.organization] }, { OU: [opts.organizationalUnit] }, { CN: [opts.commonName] }],
    issuer: caCert.subjectName,
    publicKey,
    signingKey,
    notBefore,
    notAfter,
    signingAlgorithm: ECDSA_P256,
    extensions,
  })
  return toPem(cert)
}

/** Returns a fresh key pair and a certificate for it, signed by opts.ca. */
export async function issueKeyAndCertificate(opts: IssueOptions): Promise<CertAndKey> {
  const { privateKeyPem, publicKeyPem } = generateKeyPair()
  const certPem = await issueCertificate({ ...opts, publicKeyPem })
  return { certPem, keyPem: privateKeyPem }
}

/** Returns the subject names, expiry, serial and SHA-256 fingerprint of a PEM certificate; throws InvalidArgumentError if unparsable. */
export function certificateInfo(pem: string): CertificateInfo {
  const cert = parseNodeCert(pem)
  const subject = parseSubject(cert.subject)
  return {
    commonName: subject.CN ?? '',
    organizationalUnit: subject.OU ?? '',
    organization: subject.O ?? '',
    notAfter: new Date(cert.validTo),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  }
}

/** Returns whether certPem names caPem as issuer and carries its valid signature; false if either is unparsable. */
export function verifyIssuedBy(certPem: string, caPem: string): boolean {
  try {
    const cert = parseNodeCert(certPem)
    const ca = parseNodeCert(caPem)
    return cert.checkIssued(ca) && cert.verify(ca.publicKey)
  } catch {
    return false
  }
}

function parseCert(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem)
  } catch {
    throw new InvalidArgumentError(`${what}: not a PEM certificate`)
  }
}

function parseNodeCert(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch {
    throw new InvalidArgumentError('certificate: not a PEM certificate')
  }
}

// Node prints a subject one "KEY=value" per line, escaping specials with "\".
function parseSubject(subject: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1).replace(/\\(.)/g, '$1')
  }
  return fields
}
