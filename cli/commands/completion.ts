/**
 * `kd completion bash|zsh` prints a script that makes `kd <TAB>` complete verbs, flags, resource
 * types and object names, and the hidden `kd __complete <words…>` answers it: one candidate per
 * line, then `:<directive>` as cobra's `__complete` does (kubectl's scripts are cobra's; ours are
 * smaller but speak the same protocol). The script calls kd by the absolute path it was printed from.
 */
import type { Command } from 'commander';
import type { ClusterAccess } from '../kube/connect.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

const SHELLS = ['bash', 'zsh'];

/** Adds `completion` and the hidden `__complete` to the root program. */
export function registerCompletion(program: Command): void {
  withKubeFlags(
    program
      .command('completion')
      .description('Output shell completion code for the specified shell (bash or zsh)')
      .argument('[shell...]', 'bash or zsh'),
  ).action(async (args: string[]) => {
      if (args.length === 0) throw new UsageError('Shell not specified.', 'kubectl completion');
      if (args.length > 1) throw new UsageError('Too many arguments. Expected only the shell type.', 'kubectl completion');
      if (!SHELLS.includes(args[0]!)) throw new UsageError(`Unsupported shell type "${args[0]}".`, 'kubectl completion');
      process.stdout.write(args[0] === 'bash' ? bashScript(invocation()) : zshScript(invocation()));
    });
  program
    .command('__complete', { hidden: true })
    .description('Print the completions of a command line (used by the completion scripts)')
    .argument('[words...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_words: string[], _opts: unknown, cmd: Command) => {
      await printCompletions(cmd.args);
    });
}

/** How the scripts call kd back: this node and this kd.js, quoted for the shell. */
function invocation(): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `${quote(process.execPath)} ${quote(process.argv[1] ?? 'kd')}`;
}

/** Prints the candidates of the words (the last one is being completed) and cobra's directive line. */
async function printCompletions(words: string[]): Promise<void> {
  const [{ buildProgram }, { complete, kubeFlagsOf, specOf }, { clusterSource, listNames }] = await Promise.all([
    import('../main.js'),
    import('../shell/complete.js'),
    import('../shell/names.js'),
  ]);
  const flags = kubeFlagsOf(words);
  let opened: ClusterAccess | undefined;
  const access = async () => (opened ??= (await import('../kube/connect.js')).openAccess(flags));
  try {
    const spec = specOf(await buildProgram());
    const result = await complete(spec, words.length === 0 ? [''] : words, clusterSource(access, listNames, flags));
    process.stdout.write(result.candidates.map((c) => `${c}\n`).join('') + `:${result.directive}\n`);
    process.stderr.write(`Completion ended with directive: ${result.directive}\n`);
  } finally {
    await opened?.client.close();
  }
}

/** bash: complete -F __start_kd kd; the words up to the cursor go to `kd __complete`. */
function bashScript(kd: string): string {
  return `# bash completion for kd (kubedojo)                       -*- shell-script -*-
# Load it with: source <(kd completion bash)

__kd_bin=(${kd})

__start_kd() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local out directive
    out=$("\${__kd_bin[@]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
    directive=\${out##*:}
    out=\${out%:*}
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "\${out}" -- "\${cur}"))
    if (( (directive & 2) != 0 )); then
        compopt -o nospace 2>/dev/null
    fi
    if (( \${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
        compopt -o default 2>/dev/null
    fi
}

complete -o nosort -F __start_kd kd 2>/dev/null || complete -F __start_kd kd
`;
}

/** zsh: a compdef'd function that hands `kd __complete` the words up to the cursor. */
function zshScript(kd: string): string {
  return `#compdef kd
# zsh completion for kd (kubedojo)
# Load it with: source <(kd completion zsh)

__kd_bin=(${kd})

_kd() {
    local -a lines candidates
    lines=("\${(@f)$("\${__kd_bin[@]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    local directive=\${lines[-1]#:}
    candidates=("\${(@)lines[1,-2]}")
    if (( \${#candidates} == 0 )) && (( (directive & 4) == 0 )); then
        _files
        return
    fi
    if (( (directive & 2) != 0 )); then
        compadd -S '' -- "\${candidates[@]}"
    else
        compadd -- "\${candidates[@]}"
    fi
}

if [ "$funcstack[1]" = "_kd" ]; then
    _kd "$@"
else
    compdef _kd kd
fi
`;
}
