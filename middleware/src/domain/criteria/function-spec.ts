import type { CallNode } from './ast.js';
import type { CompiledNode, CompileNode, Scope } from './compiled-node.js';

/** A function of the language: its arity and how it type-checks and compiles a call. */
export interface FunctionSpec {
  minArgs: number;
  /** `Infinity` for functions such as AND that take any number of arguments. */
  maxArgs: number;
  /** Usage shown in arity errors, such as `NOT(condition)`. */
  usage: string;
  compile(call: CallNode, scope: Scope, compileNode: CompileNode): CompiledNode;
}

/** Compiles every argument of a call in the same scope. */
export function compileArgs(
  call: CallNode,
  scope: Scope,
  compileNode: CompileNode,
): CompiledNode[] {
  return call.args.map((arg) => compileNode(arg, scope));
}

/** Returns the role of an argument in type errors, such as `argument 2 of IF`. */
export function argumentRole(call: CallNode, index: number): string {
  return `argument ${index + 1} of ${call.name}`;
}

/** Builds the spec of a function of one argument, which `build` compiles. */
export function singleArgument(
  usage: string,
  build: (arg: CompiledNode, call: CallNode, scope: Scope) => CompiledNode,
): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    usage,
    compile: (call, scope, compileNode) =>
      build(compileNode(call.args[0]!, scope), call, scope),
  };
}
