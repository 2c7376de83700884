import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness, login, type Client, type TestHarness } from './helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from './helpers/tenants.ts';
import { ENGINE } from './helpers/database.ts';
import { seedContacts } from '../src/server/seed/demo.ts';

/**
 * Property: no request to any route of the OpenAPI document answers 5xx, whatever its path
 * parameters, query and body. Cases come from each route's own schema (so they reach the service),
 * mixed with known-nasty values; the seed is fixed and the case count bounded so the suite stays fast
 * and a failure repeats. Every 5xx is listed at the end.
 */

const SEED = 9_003;
const CASES_PER_ROUTE = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: Json[];
  const?: Json;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  format?: string;
}
interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  produces?: string[];
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const nested = (depth: number): Json => {
  let node: Json = { op: 'and', conditions: [] };
  for (let i = 0; i < depth; i++) node = { op: 'and', conditions: [node] };
  return node;
};

/** Values that broke or nearly broke Herald before (issue 9, section 3), and their relatives. */
const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '2026-02-31',
  '0000-01-01',
  '9999-12-31',
  '2026-02-31T10:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999999999999999999',
  '99999999999999999999999999',
  '-1',
  '0',
  '1e400',
  'NaN',
  '',
  ' ',
  '%',
  "'; DROP TABLE contacts; --",
  'x'.repeat(5_000),
  b64(['0000-01-01 00:00:00+00', 1]),
  Buffer.from('["2026-01-01 00:00:00+00",99999999999999999999]').toString('base64url'),
  b64(['\u0000', 1]),
  b64({}),
  'AAAA',
  '{"op":"and","conditions":[{"type":"field","field":"created_at","op":"equals","value":"2026-02-31"}]}',
  JSON.stringify(nested(1000)),
];
const NASTY_VALUES: Json[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 63,
  0.5,
  [],
  {},
  nested(1000),
  'x'.repeat(200_000),
  ...NASTY_STRINGS,
];

const nastyString = fc.constantFrom(...NASTY_STRINGS);
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...NASTY_VALUES),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** A value for a schema: mostly well-formed (so it passes the outer layers), sometimes nasty. */
function valueFor(
  schema: JsonSchema | undefined,
  root: JsonSchema,
  ids: string[],
  depth = 0,
): fc.Arbitrary<Json> {
  if (!schema || depth > 6) return anyJson;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return valueFor(root.$defs?.[name], root, ids, depth + 1);
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => valueFor(s, root, ids, depth + 1)));
  if (schema.allOf?.length) return valueFor(schema.allOf[0], root, ids, depth + 1);
  if (schema.const !== undefined)
    return fc.oneof({ weight: 9, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: anyJson });
  if (schema.enum)
    return fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: anyJson },
    );
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  let typed: fc.Arbitrary<Json>;
  switch (type ?? 'any') {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      typed = fc.record(Object.fromEntries(props.map(([k, s]) => [k, valueFor(s, root, ids, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
      break;
    }
    case 'array':
      typed = fc.array(valueFor(schema.items ?? schema.prefixItems?.[0], root, ids, depth + 1), {
        maxLength: 4,
      });
      break;
    case 'string':
      typed = fc.oneof(
        { weight: 4, arbitrary: nastyString },
        { weight: 2, arbitrary: fc.constantFrom(...ids) },
        { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }) },
        { weight: 1, arbitrary: fc.string({ maxLength: 10, unit: 'binary' }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom('2026-11-30', '2026-11-30T10:00:00Z', 'hello', 'a@example.com'),
        },
      );
      break;
    case 'integer':
    case 'number':
      typed = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e308, 2 ** 63));
      break;
    case 'boolean':
      typed = fc.boolean();
      break;
    default:
      typed = anyJson;
  }
  return fc.oneof({ weight: 8, arbitrary: typed }, { weight: 2, arbitrary: anyJson });
}

interface Case {
  path: Record<string, string>;
  query: Record<string, string | string[]>;
  body: Json | undefined;
}

function caseFor(op: Operation, pathIds: (name: string) => string[], ids: string[]): fc.Arbitrary<Case> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const idish = (name: string) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...pathIds(name)) },
      { weight: 3, arbitrary: nastyString },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    );
  const queryValue = (schema: JsonSchema | undefined) =>
    valueFor(schema, schema ?? {}, ids).map((v): string | string[] =>
      Array.isArray(v)
        ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
        : typeof v === 'string'
          ? v
          : JSON.stringify(v),
    );
  return fc.record({
    path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, idish(p.name)]))),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue(p.schema)])), {
      requiredKeys: [],
    }),
    body: bodySchema ? valueFor(bodySchema, bodySchema, ids) : fc.constant(undefined),
  }) as fc.Arbitrary<Case>;
}

/** Percent-encodes like encodeURIComponent, but sends a lone surrogate as its WTF-8 bytes as a raw client could. */
function encode(text: string): string {
  return text.replace(/[\s\S]/gu, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff)
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    return encodeURIComponent(ch);
  });
}

function urlOf(template: string, c: Case): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encode(c.path[name] ?? '1'));
  const q = Object.entries(c.query)
    .flatMap(([k, v]) => [v].flat().map((x) => `${encode(k)}=${encode(x)}`))
    .join('&');
  return q ? `${path}?${q}` : path;
}

describe(`fuzz: no route answers 5xx (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const real: Record<string, string[]> = {};

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const db = h.db.database.db;
    const sub = tenant.subId;
    await seedContacts(db, Number(sub), 20);
    const post = async (path: string, body: unknown) => {
      const res = await owner.request('POST', `/api/accounts/${sub}${path}`, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300);
      return res.json<{ id: string }>().id;
    };
    const contacts = (await owner.request('GET', `/api/accounts/${sub}/contacts?limit=5`)).json<{
      items: { id: string }[];
    }>().items;
    const tagId = await post('/tags', { name: 'Fuzz' });
    const listId = await post('/lists', { name: 'Fuzz' });
    const fieldId = await post('/custom-fields', { key: 'birthday', label: 'Birthday', type: 'date' });
    const smartListId = await post('/smart-lists', { name: 'Fuzz', filter: { op: 'and', conditions: [] } });
    const actionId = await post('/bulk-actions', {
      type: 'add_tag',
      tagId,
      selection: { contactIds: contacts.map((c) => c.id) },
      scheduledFor: '2027-01-01T00:00:00Z',
    });
    const { notificationId } = await h.services.notifier.notify(db, Number(sub), {
      type: 'bulk_action.failed',
      params: { action: { id: actionId, name: 'Fuzz' }, processed: 0, total: 1, error: 'boom' },
      subject: { kind: 'bulk_action', id: actionId },
    });
    const token = await owner.request('POST', '/api/me/tokens', { name: 'Fuzz' });
    const viewer = await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    Object.assign(real, {
      accountId: [sub, tenant.agencyId],
      contactId: contacts.map((c) => c.id),
      tagId: [tagId],
      listId: [listId],
      fieldId: [fieldId],
      smartListId: [smartListId],
      actionId: [actionId],
      notificationId: [String(notificationId)],
      tokenId: [token.json<{ id: string }>().id],
      // Never the owner itself: a fuzzed demotion of the caller would end the run's rights.
      userId: [viewer.userId],
    });
  }, 300_000);
  afterAll(() => h?.close());

  it('answers every fuzzed request to every route with a status below 500', async () => {
    const doc = h.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    const ids = Object.values(real).flat();
    const failures: string[] = [];
    let requests = 0;
    let routes = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // Streams never end (their own tests cover them); logging out would end this run's session.
        if (op.produces?.includes('text/event-stream') || template.endsWith('/events')) continue;
        if (template === '/api/auth/logout') continue;
        routes++;
        const cases = fc.sample(
          caseFor(op, (name) => real[name] ?? ['1'], ids),
          { numRuns: CASES_PER_ROUTE, seed: SEED + routes },
        );
        for (const c of cases) {
          const url = urlOf(template, c);
          const verb = method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
          const res = await owner.request(
            verb,
            url,
            op.requestBody ? c.body : verb === 'GET' || verb === 'DELETE' ? undefined : {},
          );
          requests++;
          if (res.statusCode >= 500)
            failures.push(
              `${verb} ${url.slice(0, 300)} ${JSON.stringify(c.body)?.slice(0, 300)} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
        }
      }
    }
    expect(routes).toBeGreaterThan(30);
    expect(requests).toBe(routes * CASES_PER_ROUTE);
    expect(failures).toEqual([]);
  }, 600_000);
});
