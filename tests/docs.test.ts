// The API reference: every public name has a TSDoc summary that names its PyTorch counterpart
// ("PyTorch: `torch.Tensor.matmul`", or "PyTorch: none" for wasmtorch's own names such as
// `tidy`), and `npm run docs` (TypeDoc with typedoc.json, warnings are errors) would pass.
// Reads src/, so it needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';

const root = fileURLToPath(new URL('..', import.meta.url));

// ---- the TypeScript compiler's view: every export of src/index.ts, walked ----------------------

interface Missing { name: string; where: string; problem: string }

/** The public surface of src/index.ts with each name's doc text, walked through the checker. */
function publicDocs(): { checked: string[]; missing: Missing[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const program = ts.createProgram([join(root, 'src/index.ts')], { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(join(root, 'src/index.ts'))!)!;
  const checked: string[] = [];
  const missing: Missing[] = [];
  const seenDecls = new Set<ts.Node>();

  const where = (d: ts.Node | undefined): string => {
    if (!d) return '?';
    const sf = d.getSourceFile();
    return `${sf.fileName.slice(root.length)}:${sf.getLineAndCharacterOfPosition(d.getStart()).line + 1}`;
  };
  const tagsOf = (s: ts.Symbol): string[] => s.getJsDocTags(checker).map((t) => t.name);
  const textOf = (s: ts.Symbol): string => ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
  const jsDocText = (node: ts.Node): string => ts.getJSDocCommentsAndTags(node)
    .map((j) => (ts.isJSDoc(j) ? ts.getTextOfJSDocComment(j.comment) ?? '' : '')).join(' ').trim();
  // JSDoc written on an export statement that names one thing: `/** ... */ export * as nn from ...`
  const exportStatementDoc = (s: ts.Symbol): string => (s.declarations ?? []).map((d) => {
    const stmt = ts.isNamespaceExport(d) ? d.parent : ts.isExportSpecifier(d) && d.parent.elements.length === 1 ? d.parent.parent : null;
    return stmt ? jsDocText(stmt) : '';
  }).join(' ').trim();

  /** Checks one public name; `pytorch` says whether its doc must name the PyTorch counterpart. */
  function check(name: string, s: ts.Symbol, pytorch: boolean, docs: string[]): void {
    checked.push(name);
    const decl = s.valueDeclaration ?? s.declarations?.[0];
    const doc = docs.filter(Boolean).join(' ');
    if (!doc) missing.push({ name, where: where(decl), problem: 'has no doc comment' });
    else if (pytorch && !/\bPyTorch\b/.test(doc)) missing.push({ name, where: where(decl), problem: `does not name its PyTorch counterpart ("PyTorch: \`torch.…\`" or "PyTorch: none"): "${doc}"` });
  }

  function isPublicMember(m: ts.Symbol): boolean {
    if (m.name.startsWith('_') || m.name.startsWith('#') || tagsOf(m).includes('internal')) return false;
    const d = m.valueDeclaration ?? m.declarations?.[0];
    if (!d) return false;
    const flags = ts.getCombinedModifierFlags(d as ts.Declaration);
    return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
  }

  /**
   * Members of a class or interface: each declaration once, even when inherited by many classes.
   * A field declared where a comment cannot go without touching code (a one-line interface, a
   * constructor parameter property) counts as documented when its owner's doc, or its
   * constructor's, names it in backticks.
   */
  function members(owner: string, ownerSymbol: ts.Symbol, type: ts.Type, pytorch: boolean): void {
    for (const m of checker.getPropertiesOfType(type)) {
      if (!isPublicMember(m)) continue;
      const decls = m.declarations ?? [];
      if (decls.length && decls.every((d) => seenDecls.has(d))) continue;
      decls.forEach((d) => seenDecls.add(d));
      let doc = textOf(m);
      if (!doc) {
        const decl = decls[0];
        const hostDocs = [textOf(ownerSymbol)];
        if (decl && ts.isParameter(decl)) hostDocs.push(jsDocText(decl.parent), jsDocText(decl.parent.parent));
        else if (decl && (ts.isClassLike(decl.parent) || ts.isInterfaceDeclaration(decl.parent))) hostDocs.push(jsDocText(decl.parent));
        doc = hostDocs.find((d) => d.includes(`\`${m.name}\``)) ?? '';
      }
      check(`${owner}.${m.name.replace(/^__@(\w+)@\d+$/, '[Symbol.$1]')}`, m, pytorch, [doc]);
    }
  }

  function walk(prefix: string, moduleSymbol: ts.Symbol): void {
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const name = prefix + exp.name;
      const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      if (tagsOf(target).includes('internal')) continue;
      // a namespace (nn, optim, F): documented on its export statement, then each member
      if (target.flags & ts.SymbolFlags.ValueModule) {
        check(name, exp, true, [exportStatementDoc(exp), textOf(target)]);
        walk(`${name}.`, target);
        continue;
      }
      check(name, target, true, [textOf(target), exportStatementDoc(exp)]);
      if (target.flags & ts.SymbolFlags.Class) {
        const decl = target.valueDeclaration as ts.ClassDeclaration;
        members(name, target, checker.getTypeAtLocation(decl), true); // instance members, inherited ones included
        members(name, target, checker.getTypeOfSymbolAtLocation(target, decl), true); // static members
      } else if (target.flags & ts.SymbolFlags.Interface) {
        // option and result fields: a doc, PyTorch's name where it has one
        members(name, target, checker.getDeclaredTypeOfSymbol(target), false);
      }
    }
  }
  walk('', entry);
  return { checked, missing };
}

test('every public name (exports, namespace members, class and interface members) has a doc naming its PyTorch counterpart', () => {
  const started = performance.now();
  const { checked, missing } = publicDocs();
  console.log(`# ${checked.length} public names checked in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // the walk reached the namespaces and the members that matter
  for (const n of ['Tensor', 'Tensor.matmul', 'Tensor.shape', 'tidy', 'memory', 'nn', 'nn.Linear', 'nn.Module.parameters',
    'nn.functional.crossEntropy', 'F', 'optim', 'optim.Adam', 'optim.Optimizer.step', 'InitOptions.url']) {
    assert.ok(checked.includes(n), `${n} was checked`);
  }
  const report = missing.map((m) => `${m.name} (${m.where}) ${m.problem}`);
  assert.deepEqual(report, [], `${report.length} of ${checked.length} public names:\n${report.join('\n')}`);
  assert.ok(!checked.some((n) => n.startsWith('Tensor.view_') || n.startsWith('Tensor._')), 'internal and private members are skipped');
});

// ---- TypeDoc with typedoc.json: what `npm run docs` would report -------------------------------

test('TypeDoc with typedoc.json converts and validates src/index.ts without a warning', async () => {
  const messages: string[] = [];
  class Capture extends Logger {
    override log(message: string, level: LogLevel): void {
      if (level >= LogLevel.Warn) messages.push(`${LogLevel[level]}: ${message}`);
    }
  }
  // paths in typedoc.json are relative to it; `options` names it explicitly
  const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json') }, [new TypeDocReader(), new TSConfigReader()]);
  app.logger = new Capture();
  app.logger.level = LogLevel.Warn;
  assert.equal(app.options.getValue('treatWarningsAsErrors'), true, 'typedoc.json treats warnings as errors');
  assert.equal(app.options.getValue('validation').notDocumented, true, 'typedoc.json requires documentation');
  const project = await app.convert();
  assert.ok(project, `TypeDoc converted src/index.ts:\n${messages.join('\n')}`);
  app.validate(project);
  assert.deepEqual(messages, [], messages.join('\n'));
});
