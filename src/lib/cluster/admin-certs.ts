// Admin client certificates in the store. A node's certificate is only as good as
// its node (removed, it is refused); an admin certificate names no node, so each
// one is recorded when issued or renewed (serial, CN, the manager that issued it)
// and checked on every request and renewal: one that is unknown or revoked is
// refused by every manager, which all read the same store.
import { ForbiddenError, NotFoundError } from '../errors/index.js'
import { certificateInfo } from '../pki/index.js'
import type { Store } from '../store/index.js'
import type { StoredObject } from '../types/index.js'

/** An admin certificate as the store keeps it; ID is its serial (upper-case hex). */
export interface AdminCertificate extends StoredObject {
  CommonName: string
  /** The node of the manager that issued it (its host holds the bundle). */
  IssuedBy: string
  /** The serial of the certificate it renews, if it is a renewal. */
  RenewedFrom?: string
  NotAfter: string
  Revoked?: { At: string; Reason: string }
}

/** A serial as the store keys it: upper-case hex, no colons or leading zeros. */
export function normalSerial(serial: string): string {
  return serial.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '')
}

/** Records a newly issued admin certificate; returns its record. */
export async function recordAdminCert(store: Store, certPem: string, issuedBy: string, renewedFrom?: string): Promise<AdminCertificate> {
  const info = certificateInfo(certPem)
  return store.create<AdminCertificate>('certificate', {
    ID: normalSerial(info.serialNumber), Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '',
    CommonName: info.commonName, IssuedBy: issuedBy, NotAfter: info.notAfter.toISOString(),
    ...(renewedFrom ? { RenewedFrom: normalSerial(renewedFrom) } : {}),
  })
}

/** The record of a usable admin certificate; throws ForbiddenError (401) when it is unknown or revoked. */
export async function checkAdminCert(store: Store, serial: string, commonName: string): Promise<AdminCertificate> {
  const id = normalSerial(serial)
  const record = await store.get<AdminCertificate>('certificate', id)
  if (!record) {
    throw new ForbiddenError(`the admin certificate ${id} (${commonName}) is not one this swarm issued, or was removed: use a current client bundle of this swarm`, 401)
  }
  if (record.Revoked) {
    throw new ForbiddenError(`the admin certificate ${id} (${record.CommonName}) was revoked at ${record.Revoked.At} (${record.Revoked.Reason}): every manager refuses it; use a current client bundle (the bundle of the manager host that issued it is reissued by its manager)`, 401)
  }
  return record
}

/** Whether the admin certificate `serial` is recorded and not revoked. */
export async function adminCertUsable(store: Store, serial: string): Promise<boolean> {
  const record = await store.get<AdminCertificate>('certificate', normalSerial(serial))
  return record !== undefined && !record.Revoked
}

/**
 * Revokes the admin certificates named by `ref`: a serial (with the renewals made
 * from it) or a common name (every certificate of that name). Returns those it
 * revoked now; throws NotFoundError when `ref` names none.
 */
export async function revokeAdminCerts(store: Store, ref: string, reason: string): Promise<AdminCertificate[]> {
  const all = await store.list<AdminCertificate>('certificate')
  const serial = /^[0-9a-f:]+$/i.test(ref) ? normalSerial(ref) : undefined
  let chosen = all.filter((c) => c.CommonName === ref || c.ID === serial)
  if (chosen.length === 0) {
    throw new NotFoundError(`no admin certificate with serial or common name ${ref}: a serial is what "openssl x509 -noout -serial -in cert.pem" prints`)
  }
  // Renewals made from a revoked certificate were made with its key: revoke them too.
  for (let grew = true; grew;) {
    const ids = new Set(chosen.map((c) => c.ID))
    const more = all.filter((c) => !ids.has(c.ID) && c.RenewedFrom !== undefined && ids.has(c.RenewedFrom))
    grew = more.length > 0
    chosen = [...chosen, ...more]
  }
  return markRevoked(store, chosen.filter((c) => !c.Revoked), reason)
}

/** Revokes every admin certificate the manager of node `nodeId` issued (the node was removed). */
export async function revokeAdminCertsIssuedBy(store: Store, nodeId: string): Promise<AdminCertificate[]> {
  const all = await store.list<AdminCertificate>('certificate')
  return markRevoked(store, all.filter((c) => c.IssuedBy === nodeId && !c.Revoked), `node ${nodeId} was removed`)
}

async function markRevoked(store: Store, certs: AdminCertificate[], reason: string): Promise<AdminCertificate[]> {
  const at = new Date().toISOString()
  const done: AdminCertificate[] = []
  for (const c of certs) done.push(await store.update<AdminCertificate>('certificate', { ...c, Revoked: { At: at, Reason: reason } }))
  return done
}
