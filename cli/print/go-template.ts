/**
 * `-o go-template` / `-o template`: kubectl's GoTemplatePrinter (cli-runtime pkg/printers/template.go)
 * on our Go text/template engine. The object goes to the template as JSON decodes it (numbers are
 * int64 when whole, else float64); missing keys print `<no value>` or fail per `--allow-missing-template-keys`; a failed run
 * prints kubectl's debugging dump to stdout and then fails with `error executing template …`.
 */
import { formatValue, goQuote } from './go-fmt.js';
import { FUNCS } from './template-funcs.js';
import { Executor, TemplateExecError } from './template-exec.js';
import { parseTemplate } from './template-parse.js';
import { TemplateSyntaxError } from './template-lex.js';

/** The name kubectl gives its template, which every Go template error quotes. */
const TEMPLATE_NAME = 'output';

/** A print failure whose partial output and debugging text go to stdout before the error. */
export class TemplatePrintError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
  ) {
    super(message);
    this.name = 'TemplatePrintError';
  }
}

/** Go's json.Marshal of decoded JSON: compact, keys sorted, HTML characters escaped. */
function compactJson(value: unknown): string {
  const sort = (v: any): any => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
  };
  return JSON.stringify(sort(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `template: output:L:C: executing "output" at <node>: msg`, as text/template's ErrorContext words it. */
function execMessage(text: string, err: TemplateExecError): string {
  const before = text.slice(0, err.pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
  return `template: ${TEMPLATE_NAME}:${line}:${col}: executing "${TEMPLATE_NAME}" at <${err.context}>: ${err.message}`;
}

/**
 * Parses a template as kubectl's printer does; a syntax error throws kubectl's
 * `error parsing template <text>, template: output:<line>: <reason>`.
 *
 * @example
 * compileGoTemplate('{{.metadata.name}}', { allowMissingKeys: true })(pod) // 'web'
 */
export function compileGoTemplate(text: string, opts: { allowMissingKeys: boolean }): (obj: unknown) => string {
  let tree;
  try {
    tree = parseTemplate(text, new Set(FUNCS.keys()));
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    throw new Error(`error parsing template ${text}, template: ${TEMPLATE_NAME}:${err.line}: ${err.message}`);
  }
  return (obj) => {
    const raw = compactJson(obj);
    // apimachinery's json.Unmarshal gives whole numbers as int64 and the rest as float64.
    const data: unknown = JSON.parse(raw, (_k, v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v));
    const exec = new Executor(!opts.allowMissingKeys);
    try {
      exec.run(tree, data);
      return exec.out;
    } catch (err) {
      if (!(err instanceof TemplateExecError)) throw err;
      const message = execMessage(text, err);
      const dump =
        `Error executing template: ${message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${text}\n\traw data was:\n\t\t${raw}\n\tobject given to template engine was:\n\t\t${formatValue(data)}\n\n`;
      throw new TemplatePrintError(`error executing template ${goQuote(text)}: ${message}`, exec.out + dump);
    }
  };
}
