// Merge-field rendering with LiquidJS. HTML output escapes every merged value by default (a first
// name like "<script>" arrives as text); subjects, text parts and SMS are rendered unescaped, as
// they are not HTML. Templates cannot run code, read files or include other templates: the file
// system is replaced by one that has nothing, and parse / render / memory limits bound the work.
import { Liquid, LiquidError, type LiquidOptions, type Template } from 'liquidjs';

/** The values one recipient's message is rendered with: merge field name → value. */
export type MergeValues = Record<string, string | number | boolean | null | undefined>;

const NO_FILES = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => {
    throw new Error('Templates cannot include files');
  },
  readFileSync: () => {
    throw new Error('Templates cannot include files');
  },
  resolve: (_dir: string, file: string) => file,
};

const LIMITS: LiquidOptions = {
  ownPropertyOnly: true,
  strictFilters: true,
  fs: NO_FILES,
  root: [],
  partials: [],
  layouts: [],
  relativeReference: false,
  // Characters of template, and work per render (LiquidJS's own units): a template cannot stall a sender.
  parseLimit: 1_000_000,
  renderLimit: 1_000,
  memoryLimit: 50_000_000,
  // Date fields are plain days (`2026-11-30`): format them as that day whatever the server's zone.
  timezoneOffset: 0,
};

const htmlEngine = new Liquid({ ...LIMITS, outputEscape: 'escape' });
const plainEngine = new Liquid({ ...LIMITS });

// Including, rendering or extending another template is refused when the template is parsed, with
// the line, instead of failing at send time (there are no files to include anyway).
for (const engine of [htmlEngine, plainEngine]) {
  for (const tag of ['include', 'render', 'layout']) {
    engine.registerTag(tag, {
      parse() {
        throw new Error(`{% ${tag} %} is not available: templates cannot include other templates`);
      },
      *render() {},
    });
  }
}
// `raw` would switch escaping off for a merged value: HTML parts always escape, so it is refused.
delete (htmlEngine.filters as Record<string, unknown>).raw;

/** A parsed template part: `html` parts escape merged values, `plain` parts do not. */
export interface CompiledPart {
  readonly mode: 'html' | 'plain';
  readonly templates: Template[];
}

/**
 * Parses `source` once (render it for every recipient). Throws LiquidJS's `ParseError` (with
 * `line`) on a syntax error or an unknown filter.
 */
export function compilePart(source: string, mode: 'html' | 'plain'): CompiledPart {
  const engine = mode === 'html' ? htmlEngine : plainEngine;
  return { mode, templates: engine.parse(source) };
}

/** Renders a compiled part for one recipient (synchronous: no template reads anything outside). */
export function renderPart(part: CompiledPart, values: MergeValues): string {
  const engine = part.mode === 'html' ? htmlEngine : plainEngine;
  return String(engine.renderSync(part.templates, values));
}

/**
 * The merge fields a part reads (top-level names: `{{ first_name }}`, `{{ custom.plan }}` →
 * `first_name`, `custom`), for the save-time check against the account's fields and for loading
 * only those values per recipient.
 */
export function fieldsOfPart(part: CompiledPart): string[] {
  const engine = part.mode === 'html' ? htmlEngine : plainEngine;
  return [...new Set(engine.globalVariablesSync(part.templates).map(String))].sort();
}

/** Where and why a template part failed: a syntax error when parsed, or a limit when rendered. */
export interface TemplateProblem {
  line: number | null;
  message: string;
}

/**
 * The line and message of a LiquidJS error (parse or render), or null for any other error. The
 * message drops LiquidJS's ", line:N, col:M" suffix, since the line is given apart.
 */
export function templateProblem(err: unknown): TemplateProblem | null {
  if (!(err instanceof LiquidError)) return null;
  let line: number | null;
  try {
    line = err.token.getPosition()[0] ?? null;
  } catch {
    line = null;
  }
  const message = (err.originalError?.message ?? err.message).replace(/, line:\d+, col:\d+$/, '');
  return { line, message };
}
