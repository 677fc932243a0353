// What a root CA rotation and a renewal need of the pki: the new root's certificate
// cross-signed by the old root's key (so that hosts trusting only the old root still
// reach a manager whose certificate the new root issued), a CA given by the user
// checked, and a certificate issued again with the subject and names of an old one.
import * as x509 from '@peculiar/x509'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { InvalidArgumentError } from '../errors/index.js'
import { BACKDATE_MS, type CertAndKey, toPem } from './ca.js'
import { certificateInfo, issueCertificate, type CertUsage } from './certs.js'
import { ECDSA_P256, importSigningKey } from './keys.js'

/**
 * Returns the PEM of `newCaPem`'s certificate signed by `oldCa`'s key: same subject,
 * key and key identifier as the new root, issued by the old one, valid while both are.
 * Throws InvalidArgumentError when either certificate is unparsable.
 */
export async function crossSignCA(newCaPem: string, oldCa: CertAndKey): Promise<string> {
  const fresh = parse(newCaPem, 'new CA certificate')
  const old = parse(oldCa.certPem, 'old CA certificate')
  const notAfter = Math.min(fresh.notAfter.getTime(), old.notAfter.getTime())
  const cert = await x509.X509CertificateGenerator.create({
    subject: fresh.subjectName,
    issuer: old.subjectName,
    publicKey: fresh.publicKey,
    signingKey: await importSigningKey(oldCa.keyPem),
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(fresh.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(old.publicKey),
    ],
  })
  return toPem(cert)
}

/**
 * Checks a root CA given by the user (docker swarm ca --rotate --ca-cert --ca-key):
 * a CA certificate, valid now, whose key is `keyPem`. Returns it as CertAndKey; throws
 * InvalidArgumentError saying what is wrong.
 */
export function checkSigningCA(certPem: string, keyPem: string): CertAndKey {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certPem)
  } catch {
    throw new InvalidArgumentError('CAConfig.SigningCACert: not a PEM certificate')
  }
  if (!cert.ca) throw new InvalidArgumentError('CAConfig.SigningCACert: not a CA certificate')
  const now = Date.now()
  if (Date.parse(cert.validTo) <= now || Date.parse(cert.validFrom) > now) throw new InvalidArgumentError('CAConfig.SigningCACert: not valid now')
  let key
  try {
    key = createPrivateKey(keyPem)
  } catch {
    throw new InvalidArgumentError('CAConfig.SigningCAKey: not a PEM private key')
  }
  if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new InvalidArgumentError('CAConfig.SigningCAKey: only ECDSA P-256 keys are supported')
  if (!cert.checkPrivateKey(key)) throw new InvalidArgumentError('CAConfig.SigningCAKey: does not match the CA certificate')
  const pem = cert.toString()
  return { certPem: pem.endsWith('\n') ? pem : `${pem}\n`, keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString() }
}

/** Overrides of reissueCertificate: the subject's role (OU), the usage (a demoted manager's: client only) and the validity. */
export interface ReissueOptions {
  organizationalUnit?: string
  usage?: CertUsage
  validityMs: number
}

/**
 * Returns a new certificate for `publicKeyPem`, signed by `ca`, with the subject, names
 * and usage of `oldPem` (the one being renewed). Throws InvalidArgumentError if
 * `oldPem` is unparsable.
 */
export async function reissueCertificate(oldPem: string, ca: CertAndKey, publicKeyPem: string, opts: ReissueOptions): Promise<string> {
  const info = certificateInfo(oldPem)
  const old = parse(oldPem, 'certificate')
  const names = old.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? []
  const usages = (old.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []).map(String)
  const server = usages.includes(x509.ExtendedKeyUsage.serverAuth)
  const client = usages.includes(x509.ExtendedKeyUsage.clientAuth)
  const usage: CertUsage = opts.usage ?? (server && client ? 'both' : server ? 'server' : 'client')
  return issueCertificate({
    ca, publicKeyPem, usage, validityMs: opts.validityMs,
    commonName: info.commonName, organization: info.organization, organizationalUnit: opts.organizationalUnit ?? info.organizationalUnit,
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ips: names.filter((n) => n.type === 'ip').map((n) => n.value),
  })
}

function parse(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem)
  } catch {
    throw new InvalidArgumentError(`${what}: not a PEM certificate`)
  }
}
