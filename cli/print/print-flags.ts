/**
 * kubectl's template printer flags (cli-runtime genericclioptions/template_flags.go and
 * jsonpath_flags.go): `--template` and `--allow-missing-template-keys`. A verb adds them with
 * `withTemplateFlags`; their values are kept here for the one command a kd process runs, so every
 * printer factory reads them without each verb passing them along. Kept import-free: verbs register
 * these flags at start-up.
 */
import type { Command } from 'commander';

/** The template printer flags' values. */
export interface TemplateFlags {
  /** `--template`: the template or its file, for `-o go-template|jsonpath[-file]…` without `=`. */
  template?: string;
  /** `--allow-missing-template-keys` (default true). */
  allowMissingTemplateKeys: boolean;
}

let current: TemplateFlags = { allowMissingTemplateKeys: true };

/** The values of the running command's template flags. */
export function templateFlags(): TemplateFlags {
  return current;
}

/** The `-o` value in effect: kubectl prints `--template` as a go-template when `-o` is not given. */
export function effectiveOutput(output: string | undefined): string {
  const out = output ?? '';
  return out === '' && current.template ? 'go-template' : out;
}

/** Go's strconv.ParseBool, for the flag's value. */
function parseBool(value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error(`invalid argument "${value}" for "--allow-missing-template-keys" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

/** Adds `--template` and `--allow-missing-template-keys` to a verb that prints objects with `-o`. */
export function withTemplateFlags(cmd: Command): Command {
  cmd
    .option('--template <string>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].')
    .option('--allow-missing-template-keys [bool]', 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.');
  cmd.hook('preAction', (_self, action) => {
    const opts = action.opts() as { template?: string; allowMissingTemplateKeys?: string | boolean };
    const allow = opts.allowMissingTemplateKeys;
    current = { template: opts.template, allowMissingTemplateKeys: allow === undefined || allow === true ? true : parseBool(String(allow)) };
  });
  return cmd;
}
