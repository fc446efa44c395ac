// TypeDoc configuration of `npm run docs`: the API reference of the two entry points (src/index.ts,
// src/browser.ts) and the Markdown guides of docs/guides/** beside it, built into docs/site/.
// Math ($...$, $$...$$) is typeset with KaTeX at build time (no CDN: the site works offline).
// Any warning fails the build (treatWarningsAsErrors): a symbol without a doc comment, a broken
// {@link}, a relative link to a missing file.
import markdownItKatex from '@vscode/markdown-it-katex';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  name: 'nabla',
  entryPoints: ['src/index.ts', 'src/browser.ts'],
  tsconfig: 'tsconfig.build.json',
  out: 'docs/site',
  readme: 'README.md',
  projectDocuments: ['docs/guides/**/*.md', 'docs/design.md'],
  plugin: ['typedoc-plugin-missing-exports', './scripts/docs/typedoc-plugin.mjs'],
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false, unusedMergeModuleWith: true },
  // Every exported symbol needs its doc comment: checked by scripts/docs/typedoc-plugin.mjs.
  searchInDocuments: true,
  searchInComments: true,
  hideGenerator: true,
  // No "Defined in" links: a clone's remote may be a local path (CI clones one), which TypeDoc
  // warns about, and the site is read offline beside the sources anyway.
  disableSources: true,
  githubPages: false,
  markdownItOptions: { html: true },
  markdownItLoader(parser) {
    parser.use(markdownItKatex.default ?? markdownItKatex, { throwOnError: true, enableFencedBlocks: true });
  },
  navigation: { includeCategories: false, includeGroups: true, includeFolders: true, compactFolders: true },
};

export default config;
