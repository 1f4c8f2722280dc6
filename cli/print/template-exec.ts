/**
 * Execution of a parsed Go text/template (text/template/exec.go) over decoded JSON: field chains on
 * maps, variables, pipelines, if/with/range/else, break/continue, the builtins of template-funcs.ts,
 * the `missingkey=default|error` option, and Go's error texts with their `line:col` and node context.
 */
import { formatValue, GoInt, goTypeName, intOf, isMap, type GoValue } from './go-fmt.js';
import { FUNCS, FuncCallError, isTrue } from './template-funcs.js';
import { nodeString, type Arg, type Cmd, type ControlNode, type Pipe, type TNode, type Tree } from './template-parse.js';

/** An execution error: Go's message, and the node and offset it happened at. */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly context: string,
  ) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

/** No value piped in from a previous command (Go's missingVal). */
const NO_FINAL = Symbol('noFinal');
type Final = GoValue | typeof NO_FINAL;

class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}


/** The executor of one template run. */
export class Executor {
  out = '';
  private vars: { name: string; value: GoValue }[] = [];
  private at: { pos: number; text: string } = { pos: 0, text: '' };

  private defines = new Map<string, TNode[]>();

  constructor(private readonly missingKeyError: boolean) {}

  /** Runs the tree with `data` as dot and `$`; output collects in `out` even when it throws. */
  run(tree: Tree, data: GoValue): void {
    this.defines = tree.defines;
    this.vars = [{ name: '$', value: data }];
    this.walkList(tree.nodes, data);
  }

  private fail(message: string): never {
    throw new TemplateExecError(message, this.at.pos, this.at.text);
  }

  private setAt(node: Arg | Cmd | Pipe): void {
    this.at = { pos: node.pos, text: nodeString(node) };
  }

  private walkList(nodes: TNode[], dot: GoValue): void {
    for (const node of nodes) this.walk(node, dot);
  }

  private walk(node: TNode, dot: GoValue): void {
    switch (node.t) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.out += printable(value);
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'range':
        return this.walkRange(node, dot);
      case 'template':
        return this.walkTemplate(node, dot);
      default:
        throw new LoopControl(node.t);
    }
  }

  /** `{{template}}`: the named tree runs with the pipeline's value as dot and `$`, in its own variables. */
  private walkTemplate(node: Extract<TNode, { t: 'template' }>, dot: GoValue): void {
    this.at = { pos: node.pos, text: node.text };
    const body = this.defines.get(node.name);
    if (!body) this.fail(`template "${node.name}" not defined`);
    const value = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const vars = this.vars;
    this.vars = [{ name: '$', value }];
    try {
      this.walkList(body, value);
    } finally {
      this.vars = vars;
    }
  }

  private walkIfOrWith(node: ControlNode, dot: GoValue): void {
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    if (isTrue(value)) this.walkList(node.list, node.t === 'with' ? value : dot);
    else if (node.elseList) this.walkList(node.elseList, dot);
    this.vars.length = mark;
  }

  private walkRange(node: ControlNode, dot: GoValue): void {
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    this.vars.length = mark;
    const entries = this.rangeEntries(value);
    if (entries.length === 0) {
      if (node.elseList) this.walkList(node.elseList, dot);
      return;
    }
    for (const [key, elem] of entries) {
      const [first, second] = node.pipe.decl;
      if (second !== undefined) this.vars.push({ name: first!, value: key }, { name: second, value: elem });
      else if (first !== undefined) this.vars.push({ name: first, value: elem });
      try {
        this.walkList(node.list, elem);
      } catch (err) {
        if (!(err instanceof LoopControl)) throw err;
        if (err.kind === 'break') break;
      } finally {
        this.vars.length = mark;
      }
    }
  }

  private rangeEntries(value: GoValue): [GoValue, GoValue][] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((v, i) => [new GoInt(BigInt(i)), v]);
    if (isMap(value)) return Object.keys(value).sort().map((k) => [k, value[k]]);
    const n = intOf(value);
    // Ranging over an integer counts from zero in the integer's own type.
    const asType = (i: number) => (typeof value === 'bigint' ? BigInt(i) : new GoInt(BigInt(i)));
    if (n !== undefined) return Array.from({ length: Number(n) }, (_v, i) => [asType(i), asType(i)]);
    return this.fail(`range can't iterate over ${formatValue(value)}`);
  }

  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    this.setAt(pipe);
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    // JSON null is a nil interface{}, which the pipeline unwraps to no value.
    const result = value === NO_FINAL || value === null ? undefined : value;
    if (pipe.isAssign) {
      for (const name of pipe.decl) this.setVar(name, result);
    } else {
      for (const name of pipe.decl) this.vars.push({ name, value: result });
    }
    return result;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  private evalCommand(dot: GoValue, cmd: Cmd, final: Final): GoValue {
    const first = cmd.args[0]!;
    const hasArgs = cmd.args.length > 1 || final !== NO_FINAL;
    switch (first.t) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.idents, hasArgs);
      case 'var':
        this.setAt(first);
        return this.evalFieldChain(dot, this.varValue(first.name), first, first.idents, hasArgs);
      case 'chain':
        return this.evalFieldChain(dot, this.evalArg(dot, first.node), first, first.idents, hasArgs);
      case 'ident':
        return this.evalFunction(dot, first.name, cmd, final);
      case 'pipe':
        if (hasArgs) this.fail(`can't give argument to non-function ${nodeString(first)}`);
        return this.evalArg(dot, first);
      default:
        this.setAt(first);
        if (hasArgs) this.fail(`can't give argument to non-function ${nodeString(first)}`);
        if (first.t === 'nil') this.fail('nil is not a command');
        return this.evalArg(dot, first);
    }
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: Arg, idents: string[], hasArgs: boolean): GoValue {
    this.setAt(node);
    let value = receiver;
    idents.forEach((ident, i) => {
      value = this.evalField(ident, value, hasArgs && i === idents.length - 1);
    });
    return value;
  }

  private evalField(name: string, receiver: GoValue, hasArgs: boolean): GoValue {
    if (receiver === undefined) {
      if (this.missingKeyError) this.fail(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (!isMap(receiver)) this.fail(`can't evaluate field ${name} in type ${receiver instanceof GoInt ? goTypeName(receiver) : 'interface {}'}`);
    if (hasArgs) this.fail(`${name} is not a method but has arguments`);
    if (Object.hasOwn(receiver, name)) return receiver[name];
    if (this.missingKeyError) this.fail(`map has no entry for key "${name}"`);
    return undefined;
  }

  private evalFunction(dot: GoValue, name: string, cmd: Cmd, final: Final): GoValue {
    this.setAt(cmd.args[0]!);
    const fn = FUNCS.get(name)!;
    const argNodes = cmd.args.slice(1);
    const count = argNodes.length + (final === NO_FINAL ? 0 : 1);
    if (fn.exact ? count !== fn.min : count < fn.min) {
      this.fail(`wrong number of args for ${name}: want ${fn.exact ? '' : 'at least '}${fn.min} got ${count}`);
    }
    if (name === 'and' || name === 'or') return this.shortCircuit(dot, name, argNodes, final);
    const args = argNodes.map((a) => this.evalArg(dot, a, !fn.reflectArgs));
    // A string parameter cannot take Go's zero interface.
    if (name === 'base64decode' && args[0] === null) this.fail('invalid value; expected string');
    if (final !== NO_FINAL) args.push(final);
    this.setAt(cmd);
    try {
      return fn.call(args);
    } catch (err) {
      if (err instanceof FuncCallError) this.fail(`error calling ${name}: ${err.message}`);
      throw err;
    }
  }

  private shortCircuit(dot: GoValue, name: 'and' | 'or', argNodes: Arg[], final: Final): GoValue {
    let value: GoValue;
    const all: (Arg | { final: GoValue })[] = [...argNodes, ...(final === NO_FINAL ? [] : [{ final }])];
    for (const a of all) {
      value = 'final' in a ? a.final : this.evalArg(dot, a);
      if (isTrue(value) === (name === 'or')) return value;
    }
    return value;
  }

  /** An argument's value; as a function argument a missing value is Go's zero interface (nil). */
  private evalArg(dot: GoValue, arg: Arg, asFuncArg = false): GoValue {
    this.setAt(arg);
    let value: GoValue;
    switch (arg.t) {
      case 'dot': value = dot; break;
      case 'nil': value = null; break;
      case 'field': value = this.evalFieldChain(dot, dot, arg, arg.idents, false); break;
      case 'var': value = this.evalFieldChain(dot, this.varValue(arg.name), arg, arg.idents, false); break;
      case 'chain': value = this.evalFieldChain(dot, this.evalArg(dot, arg.node), arg, arg.idents, false); break;
      case 'ident': value = this.evalFunction(dot, arg.name, { pos: arg.pos, args: [arg] }, NO_FINAL); break;
      case 'pipe': {
        const mark = this.vars.length;
        value = this.evalPipeline(dot, arg.pipe);
        this.vars.length = mark;
        break;
      }
      default: value = arg.value;
    }
    return asFuncArg && value === undefined ? null : value;
  }
}

/** How an action prints its value: a missing value (or nil) as `<no value>`, the rest as fmt's %v. */
function printable(value: GoValue): string {
  return value === undefined || value === null ? '<no value>' : formatValue(value);
}
