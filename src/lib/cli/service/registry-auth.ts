// --with-registry-auth: the credentials the docker CLI would send for an
// image (cli/command RetrieveAuthTokenFromImage), read from the same config
// file (DOCKER_CONFIG or ~/.docker, config.json: credHelpers, credsStore,
// auths) and encoded as X-Registry-Auth (base64url JSON).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { InvalidArgumentError } from '../../errors/index.js'

/** Docker Hub's key in config.json. */
const HUB_KEY = 'https://index.docker.io/v1/'

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>
  credsStore?: string
  credHelpers?: Record<string, string>
}

/** The credentials for one registry, as the registry API's AuthConfig names them. */
export interface AuthConfig {
  username?: string
  password?: string
  identitytoken?: string
  serveraddress: string
}

/** The registry of an image reference ("10.0.0.1:5000/app:1" → "10.0.0.1:5000"), or docker.io. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/')
  if (slash < 0) return 'docker.io'
  const first = image.slice(0, slash)
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io'
}

/** "https://host:port/v1/" → "host:port", as docker's ConvertToHostname. */
function hostname(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]
}

/** The credentials config.json holds for `registry` (an empty AuthConfig when none). Throws InvalidArgumentError for a bad file or helper. */
export function authConfigFor(registry: string, config: DockerConfigFile, helper = runCredentialHelper): AuthConfig {
  const key = registry === 'docker.io' || registry === 'index.docker.io' ? HUB_KEY : registry
  const store = config.credHelpers?.[registry] ?? config.credsStore
  if (store) {
    const found = helper(store, key)
    if (found) return found
  }
  const entry = config.auths?.[key] ?? Object.entries(config.auths ?? {}).find(([k]) => hostname(k) === hostname(key))?.[1]
  if (!entry) return { serveraddress: key }
  const out: AuthConfig = { serveraddress: key }
  let { username, password } = entry
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = plain.indexOf(':')
    if (colon < 0) throw new InvalidArgumentError(`invalid auth configuration file: the auth of ${key} is not base64("user:password")`)
    username = plain.slice(0, colon)
    password = plain.slice(colon + 1)
  }
  if (username) out.username = username
  if (password) out.password = password
  if (entry.identitytoken) out.identitytoken = entry.identitytoken
  return out
}

/** Asks docker-credential-<store> for a server's credentials; undefined when it has none. */
function runCredentialHelper(store: string, server: string): AuthConfig | undefined {
  let text: string
  try {
    text = execFileSync(`docker-credential-${store}`, ['get'], { input: server, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '')
    if (/credentials not found/i.test(out)) return undefined
    throw new InvalidArgumentError(`error getting credentials - docker-credential-${store}: ${(err as Error).message.split('\n')[0]}`)
  }
  const creds = JSON.parse(text) as { Username?: string; Secret?: string }
  // A helper answers "<token>" as the user name for an identity token.
  if (creds.Username === '<token>') return { identitytoken: creds.Secret, serveraddress: server }
  return { username: creds.Username, password: creds.Secret, serveraddress: server }
}

/** An AuthConfig as X-Registry-Auth carries it: base64url (padded, as Go's URLEncoding) of its JSON. */
export function encodeAuthConfig(auth: AuthConfig): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/** The X-Registry-Auth value `docker service create --with-registry-auth IMAGE` would send. Throws InvalidArgumentError. */
export function registryAuthFor(image: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || join(homedir(), '.docker')
  const file = join(dir, 'config.json')
  let config: DockerConfigFile = {}
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfigFile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InvalidArgumentError(`loading config file ${file}: ${(err as Error).message}`)
    }
  }
  return encodeAuthConfig(authConfigFor(registryOf(image), config))
}
