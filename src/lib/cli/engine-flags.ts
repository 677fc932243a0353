// The flags that say how the manager reaches a host's engine (init and join share them).
import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { InvalidArgumentError } from '../errors/index.js'
import type { EngineRef } from '../types/index.js'

export const engineFlags = {
  engine: Flags.string({
    description: 'this host\'s Docker engine, as the manager reaches it: unix:///var/run/docker.sock, tcp://HOST:2375, or ssh://USER@HOST[:PORT][?socket=PATH]',
    default: 'unix:///var/run/docker.sock',
    helpGroup: 'ENGINE',
  }),
  'engine-tlscacert': Flags.string({ description: 'CA file that signed the engine\'s TLS certificate (tcp:// with TLS)', helpGroup: 'ENGINE' }),
  'engine-tlscert': Flags.string({ description: 'client certificate file for the engine (tcp:// with TLS)', helpGroup: 'ENGINE' }),
  'engine-tlskey': Flags.string({ description: 'client key file for the engine (tcp:// with TLS)', helpGroup: 'ENGINE' }),
  'engine-ssh-key': Flags.string({ description: 'private key file for ssh:// engines (default ~/.ssh/id_ed25519 or id_rsa)', helpGroup: 'ENGINE' }),
}

type EngineFlagValues = { engine: string; 'engine-tlscacert'?: string; 'engine-tlscert'?: string; 'engine-tlskey'?: string; 'engine-ssh-key'?: string }

/** The EngineRef the flags describe, with the files' contents read in. Throws InvalidArgumentError for unreadable files. */
export function engineRefFromFlags(flags: EngineFlagValues): EngineRef {
  const ref: EngineRef = { URL: flags.engine }
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, 'utf8')
    } catch (err) {
      throw new InvalidArgumentError(`cannot read --${flag} ${file}: ${(err as Error).message}`)
    }
  }
  if (flags['engine-tlscacert'] || flags['engine-tlscert'] || flags['engine-tlskey']) {
    ref.TLS = {
      CA: flags['engine-tlscacert'] && read(flags['engine-tlscacert'], 'engine-tlscacert'),
      Cert: flags['engine-tlscert'] && read(flags['engine-tlscert'], 'engine-tlscert'),
      Key: flags['engine-tlskey'] && read(flags['engine-tlskey'], 'engine-tlskey'),
    }
  }
  if (flags.engine.startsWith('ssh://')) {
    const home = process.env.HOME ?? '/root'
    const file = flags['engine-ssh-key'] ?? [`${home}/.ssh/id_ed25519`, `${home}/.ssh/id_rsa`].find((f) => {
      try { readFileSync(f); return true } catch { return false }
    })
    if (!file) throw new InvalidArgumentError(`an ssh:// engine needs a key: pass --engine-ssh-key FILE`)
    ref.SSHKey = read(file, 'engine-ssh-key')
  }
  return ref
}
