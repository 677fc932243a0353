// The cluster's root CA: a self-signed ECDSA P-256 certificate, like the one
// swarmkit makes on `swarm init` (CN "swarm-ca", 20 years).
import * as x509 from '@peculiar/x509'
import { ECDSA_P256, generateKeyPair, importKeyPair } from './keys.js'

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  certPem: string
  keyPem: string
}

/** Options of createRootCA. */
export interface RootCAOptions {
  commonName?: string
  years?: number
}

/** Certificates start a minute in the past so that small clock skew between hosts does not reject them. */
export const BACKDATE_MS = 60_000

/** Returns a new self-signed root CA (CN "swarm-ca", 20 years unless told otherwise). */
export async function createRootCA(opts: RootCAOptions = {}): Promise<CertAndKey> {
  const { commonName = 'swarm-ca', years = 20 } = opts
  const { privateKeyPem } = generateKeyPair()
  const keys = await importKeyPair(privateKeyPem)
  const notBefore = new Date(Date.now() - BACKDATE_MS)
  const notAfter = new Date(notBefore)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }],
    keys,
    notBefore,
    notAfter,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: toPem(cert), keyPem: privateKeyPem }
}

/** Returns a certificate as PEM ending in a newline, as Go's pem.Encode writes it. */
export function toPem(cert: x509.X509Certificate): string {
  return `${cert.toString('pem')}\n`
}
