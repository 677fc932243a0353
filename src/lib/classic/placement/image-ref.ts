// The spellings one image reference answers to, so affinity:image==redis
// finds "redis:latest" (classic swarm matched a tag's repository too) and
// "docker.io/library/redis" finds "redis".

/** The reference as written, its repository without tag or digest, each in short and docker.io/library/ form; an untagged one also as :latest. */
export function imageRefForms(ref: string): string[] {
  const at = ref.indexOf('@')
  const named = at >= 0 ? ref.slice(0, at) : ref
  const digest = at >= 0 ? ref.slice(at + 1) : ''
  const colon = named.lastIndexOf(':')
  const hasTag = colon > named.lastIndexOf('/')
  const repo = hasTag ? named.slice(0, colon) : named
  const tag = hasTag ? named.slice(colon + 1) : digest ? '' : 'latest'
  const forms = new Set<string>([ref])
  for (const r of new Set([repo, familiar(repo), qualified(repo)])) {
    forms.add(r)
    if (tag) forms.add(`${r}:${tag}`)
    if (digest) forms.add(`${r}@${digest}`)
  }
  return [...forms]
}

/** Whether the first path component names a registry (has a dot or port, or is localhost). */
function hasDomain(repo: string): boolean {
  const slash = repo.indexOf('/')
  if (slash < 0) return false
  const first = repo.slice(0, slash)
  return first.includes('.') || first.includes(':') || first === 'localhost'
}

/** "docker.io/library/redis" → "redis", "docker.io/me/app" → "me/app"; others unchanged. */
function familiar(repo: string): string {
  const short = repo.replace(/^(?:index\.)?docker\.io\//, '')
  if (short === repo) return repo
  return short.startsWith('library/') && !short.slice(8).includes('/') ? short.slice(8) : short
}

/** "redis" → "docker.io/library/redis", "me/app" → "docker.io/me/app"; a repository with a registry unchanged. */
function qualified(repo: string): string {
  if (hasDomain(repo)) return repo
  return repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`
}
