// Completion of object names from the manager, added to the bash script of
// oclif's autocomplete plugin (which completes commands and flags only): after
// `tsw service ps `, `tsw node update `, `tsw network rm `… the names the
// manager lists right now are offered, as docker's own bash completion does.

/** The commands whose arguments name objects, and the `ls` that lists those names. */
export const NAME_SOURCES: Record<string, { commands: string[]; list: string }> = {
  service: { commands: ['inspect', 'logs', 'ps', 'rm', 'rollback', 'scale', 'update'], list: "service ls --format '{{.Name}}'" },
  node: { commands: ['demote', 'inspect', 'promote', 'ps', 'rm', 'update'], list: "node ls --format '{{.Hostname}}'" },
  network: { commands: ['inspect', 'rm'], list: "network ls --format '{{.Name}}'" },
}

/**
 * The plugin's bash script with name completion in front: its function becomes
 * `_<bin>_autocomplete_commands`, and `_<bin>_autocomplete` offers names where a
 * command takes them (a word that is not a flag, after topic and command), else
 * falls back to it. No manager answering means no names: the fallback runs.
 */
export function withNameCompletion(script: string, bin: string): string {
  const fn = `_${bin}_autocomplete`
  const cases = Object.entries(NAME_SOURCES).map(([topic, { commands, list }]) =>
    `    ${commands.map((c) => `"${topic} ${c}"`).join('|')}) ${bin} ${list} 2>/dev/null ;;`).join('\n')
  const renamed = script.replaceAll(`${fn}()`, `${fn}_commands()`).replace(new RegExp(`^complete -F ${fn} ${bin}$`, 'm'), '')
  return `${renamed}
# Names from the manager for the commands that take them (tsw's addition).
${fn}_names()
{
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${cases}
  esac
}

${fn}()
{
  local cur="\${COMP_WORDS[COMP_CWORD]}" names
  if [[ $COMP_CWORD -ge 3 && "$cur" != -* ]]; then
    names=$(${fn}_names)
    if [[ -n "$names" ]]; then
      COMPREPLY=($(compgen -W "$names" -- "\${cur}"))
      return 0
    fi
  fi
  ${fn}_commands
}

complete -F ${fn} ${bin}
`
}
