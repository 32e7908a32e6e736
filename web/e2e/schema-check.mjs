// Checks the server's JSON answers against the OpenAPI document (src/server/openapi.json) while the
// end-to-end runs drive the workbench: every /api/ answer with a documented JSON schema must have
// its required keys, the documented types, and no key a closed object (additionalProperties:
// false) does not list. The web's types are generated from that document, so this keeps them true
// to what the server sends. A subset of OpenAPI 3.0: $ref, allOf, nullable, enum, type,
// properties, required, additionalProperties, items.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function schemaChecker(root) {
  const doc = JSON.parse(readFileSync(path.join(root, 'src/server/openapi.json'), 'utf8'));
  const resolve = (s) => {
    while (s && s.$ref) s = s.$ref.replace('#/', '').split('/').reduce((o, k) => o[k], doc);
    return s;
  };
  function validate(schema, v, where, problems) {
    schema = resolve(schema);
    if (!schema || problems.length > 20) return;
    if (v === null) {
      if (!schema.nullable && schema.type !== undefined) problems.push(`${where}: null`);
      return;
    }
    if (schema.allOf) for (const s of schema.allOf) validate(s, v, where, problems);
    if (schema.enum && !schema.enum.includes(v)) problems.push(`${where}: ${JSON.stringify(v)} not in ${schema.enum.join('|')}`);
    const type = Array.isArray(v) ? 'array' : typeof v;
    switch (schema.type) {
      case 'object':
        if (type !== 'object') return void problems.push(`${where}: ${type}, not an object`);
        for (const k of schema.required ?? []) if (!(k in v)) problems.push(`${where}.${k}: missing`);
        for (const [k, x] of Object.entries(v)) {
          const p = schema.properties?.[k];
          if (p) validate(p, x, `${where}.${k}`, problems);
          else if (schema.additionalProperties === false) problems.push(`${where}.${k}: not documented`);
          else if (typeof schema.additionalProperties === 'object') validate(schema.additionalProperties, x, `${where}.${k}`, problems);
        }
        return;
      case 'array':
        if (type !== 'array') return void problems.push(`${where}: ${type}, not an array`);
        v.forEach((x, i) => validate(schema.items, x, `${where}[${i}]`, problems));
        return;
      case 'integer':
        if (!Number.isInteger(v)) problems.push(`${where}: ${JSON.stringify(v)}, not an integer`);
        return;
      case 'number':
      case 'string':
      case 'boolean':
        if (type !== schema.type) problems.push(`${where}: ${type}, not a ${schema.type}`);
        return;
    }
  }
  // Routes, literal ones before patterns.
  const routes = Object.entries(doc.paths)
    .map(([p, ops]) => ({ ops, params: (p.match(/\{/g) ?? []).length, re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$') }))
    .sort((a, b) => a.params - b.params);
  const pending = [];
  const problems = new Map();  // "METHOD path status" → first problems
  let checked = 0;
  return {
    watch(context) {
      context.on('response', (res) => {
        const url = new URL(res.url());
        if (!url.pathname.startsWith('/api/')) return;
        if (!(res.headers()['content-type'] ?? '').startsWith('application/json')) return;
        const route = routes.find((r) => r.re.test(url.pathname));
        const op = route?.ops[res.request().method().toLowerCase()];
        const schema = op?.responses?.[String(res.status())]?.content?.['application/json']?.schema;
        if (!schema) return;
        pending.push(
          res.json().then(
            (body) => {
              checked++;
              const found = [];
              validate(schema, body, 'body', found);
              const key = `${res.request().method()} ${url.pathname} ${res.status()}`;
              if (found.length && !problems.has(key)) problems.set(key, found.slice(0, 5));
            },
            () => undefined,  // the page went away before the body was read
          ),
        );
      });
    },
    // The answers that did not match their schema, one line each.
    // A body Chromium never hands over (a response its service worker answered can leave
    // Network.getResponseBody pending for ever) is given up after a few seconds, not waited on.
    async report() {
      let timer;
      const deadline = new Promise((resolve) => { timer = setTimeout(resolve, 10000); });
      await Promise.race([Promise.all(pending), deadline]);
      clearTimeout(timer);
      return { checked, problems: [...problems].map(([k, p]) => `${k}: ${p.join('; ')}`) };
    },
  };
}
