// pki: the cluster's root CA, node certificates (ECDSA P-256, for mTLS) and
// SWMTKN join tokens. Names and formats follow swarmkit's ca package.
export { createRootCA, type CertAndKey, type RootCAOptions } from './ca.js'
export { generateKeyPair, type KeyPairPem } from './keys.js'
export {
  certificateInfo,
  issueCertificate,
  issueKeyAndCertificate,
  verifyIssuedBy,
  type CertificateInfo,
  type CertUsage,
  type IssueCertificateOptions,
  type IssueOptions,
} from './certs.js'
export { caDigest, newJoinToken, parseJoinToken, tokenMatchesCA, type JoinToken } from './tokens.js'
export { tlsInfoOf } from './tls-info.js'
export { checkSigningCA, crossSignCA, reissueCertificate, type ReissueOptions } from './rotation.js'
export { certValidity, renewalReason, renewalTime, signedBy, RENEW_WHEN_LEFT } from './validity.js'
export { isSealed, openSecret, SecretBox } from './seal.js'
export { ADMIN_OU, MANAGER_OU, WORKER_OU, roleOU } from './roles.js'
export { INVALID_UNLOCK_KEY, isWrappedKek, newUnlockKey, parseUnlockKey, unwrapKek, wrapKek } from './unlock-key.js'
