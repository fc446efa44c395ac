// nabla's TypeDoc plugin (loaded by typedoc.config.mjs):
// - a guide's title in the navigation is its first `# heading` (not its file name), unless its
//   front matter sets `title`;
// - every exported symbol of the entry points (and of their namespaces) must have a doc comment,
//   on itself or on its signatures: a warning names each one without (members of classes and
//   interfaces are not required: TypeDoc's own notDocumented check would demand one per property);
// - stray accessors of the <internal> module are dropped (see below);
// - KaTeX's style sheet and fonts are copied into the site (assets/katex/) and linked from every
//   page, so the math typeset at build time renders offline.
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Converter, JSX, ReflectionKind, RendererEvent } from 'typedoc';

const require = createRequire(import.meta.url);
const katexDist = join(dirname(require.resolve('katex/package.json')), 'dist');

/** The text of the first level-1 ATX heading of a Markdown text, outside code fences, or undefined. */
export function firstHeading(markdown) {
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const m = /^#\s+(.+?)\s*#*\s*$/.exec(line);
      if (m) return m[1].replace(/`/g, '');
    }
  }
  return undefined;
}

/** The exported declarations (of the modules and, recursively, of their namespaces) without a doc comment. */
function undocumentedExports(project) {
  const found = [];
  const visit = (container) => {
    for (const child of container.children ?? []) {
      if (child.kindOf(ReflectionKind.Reference) || child.name === '<internal>') continue;
      if (child.kindOf(ReflectionKind.Namespace)) visit(child);
      const signatures = child.signatures ?? child.type?.declaration?.signatures ?? [];
      const documented = child.hasComment() || (signatures.length > 0 && signatures.every((s) => s.hasComment()));
      if (!documented) found.push(child);
    }
  };
  for (const module of project.children ?? []) visit(module);
  return found;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, reflection) => {
    if (reflection.frontmatter?.title) return;
    const text = reflection.content.map((part) => part.text).join('');
    const title = firstHeading(text);
    if (title) reflection.name = title;
  });
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    // typedoc-plugin-missing-exports files a few getters reached through a type (Tensor's `data`,
    // an optimiser's `iterations`) as accessors of its <internal> module, which a module cannot
    // have: TypeDoc renders them with broken anchors. Their owners document them.
    for (const module of context.project.children ?? []) {
      const internal = module.children?.find((c) => c.name === '<internal>');
      for (const stray of internal?.children?.filter((c) => c.kindOf(ReflectionKind.Accessor)) ?? []) context.project.removeReflection(stray);
    }
    for (const reflection of undocumentedExports(context.project)) {
      app.logger.warn(`${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]}), exported from the package, has no doc comment`);
    }
  });
  app.renderer.hooks.on('head.end', (context) =>
    JSX.createElement('link', { rel: 'stylesheet', href: context.relativeURL('assets/katex/katex.min.css') }),
  );
  app.renderer.on(RendererEvent.END, (event) => {
    const target = join(event.outputDirectory, 'assets', 'katex');
    cpSync(join(katexDist, 'katex.min.css'), join(target, 'katex.min.css'));
    cpSync(join(katexDist, 'fonts'), join(target, 'fonts'), { recursive: true, filter: (src) => !/\.(ttf|woff)$/.test(src) });
  });
}
