// Reading a key as docker's `swarm unlock` does: a prompt without echo on a
// terminal, else the first line of stdin.

/** The key typed at `prompt` (not echoed), or stdin's first line, trimmed. */
export async function readUnlockKey(prompt: string): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    let text = ''
    for await (const chunk of stdin) {
      text += String(chunk)
      if (text.includes('\n')) break
    }
    return text.split('\n')[0].trim()
  }
  process.stdout.write(prompt)
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  let typed = ''
  try {
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\u0003') throw new Error('interrupted')
        if (ch === '\r' || ch === '\n') return typed
        if (ch === '\u007f') typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    return typed
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    process.stdout.write('\n')
  }
}
