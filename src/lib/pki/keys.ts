// Key material: ECDSA P-256 key pairs as PEM, and their import into WebCrypto
// for @peculiar/x509, which signs with CryptoKeys.
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto'

/** The algorithm of every key and signature in the swarm: ECDSA P-256 with SHA-256. */
export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** A PEM pair: the private key as PKCS#8, the public key as SPKI. */
export interface KeyPairPem {
  privateKeyPem: string
  publicKeyPem: string
}

/** Returns a fresh ECDSA P-256 key pair as PEM (synchronous). */
export function generateKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return { privateKeyPem: privateKey, publicKeyPem: publicKey }
}

/** Imports a PEM private key (PKCS#8 or SEC1) as a WebCrypto signing key. */
export async function importSigningKey(privateKeyPem: string): Promise<CryptoKey> {
  // Going through KeyObject accepts both "PRIVATE KEY" and "EC PRIVATE KEY" PEMs.
  const der = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' })
  return (await webcrypto.subtle.importKey('pkcs8', der, ECDSA_P256, false, ['sign'])) as CryptoKey
}

/** Imports a PEM private key as a WebCrypto key pair (for self-signing). */
export async function importKeyPair(privateKeyPem: string): Promise<CryptoKeyPair> {
  const spki = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' })
  const publicKey = (await webcrypto.subtle.importKey('spki', spki, ECDSA_P256, true, ['verify'])) as CryptoKey
  return { privateKey: await importSigningKey(privateKeyPem), publicKey }
}
