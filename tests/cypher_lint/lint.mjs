// Lint Cypher statements with Neo4j's own Cypher front end, in one batch.
//
// Used by tests/test_cypher_lint.py; the package version is pinned in package.json / package-lock.json.
//
// stdin: JSON {
//   schema: DbSchema without functions and procedures (labels, relationshipTypes, propertyKeys,
//           graphSchema, defaultLanguage),
//   procedures: [procedure names the statements may call, e.g. "db.index.fulltext.queryNodes"],
//   items: [{id, query, params: [declared $param names], schemaPaths: bool}]
// }
// stdout: JSON {
//   package: "<linter version>", node: "<node version>", cypherVersion: "CYPHER 5",
//   unknownProcedures: [names the linter's bundled Neo4j signatures do not know],
//   results: [{id, diagnostics: [{severity, message, line, column, text}]}]
// }
// Functions declared are Neo4j's built-in ones for the Cypher version, procedures only the named
// ones, both with the real signatures shipped in the package (`testData.mockSchema`, dumped from
// a Neo4j server), so a misspelt or unsupported function or procedure is reported.
// A "Parameter $x is not defined." diagnostic is dropped only for a param the statement declares.
// graphSchema (ontology endpoints) is applied only to items with schemaPaths true.
import { readFileSync } from 'node:fs';
import { isNotParamError, lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function main() {
  const request = JSON.parse(readFileSync(0, 'utf-8'));
  const version = request.schema.defaultLanguage ?? 'CYPHER 5';
  const known = testData.mockSchema;
  const functions = Object.fromEntries(
    Object.entries(known.functions[version] ?? {}).filter(([, fn]) => fn.isBuiltIn),
  );
  const procedures = {};
  const unknownProcedures = [];
  for (const name of request.procedures ?? []) {
    const proc = known.procedures[version]?.[name];
    if (proc) procedures[name] = proc;
    else unknownProcedures.push(name);
  }
  const base = { ...request.schema, defaultLanguage: version, functions: { [version]: functions },
    procedures: { [version]: procedures } };
  const { graphSchema, ...withoutPaths } = base;

  const results = request.items.map((item) => {
    const declared = new Set(item.params ?? []);
    const schema = item.schemaPaths && graphSchema ? base : withoutPaths;
    const { diagnostics, symbolTables } = lintCypherQuery(item.query, schema);
    const symbols = symbolTables.flat();
    return {
      id: item.id,
      diagnostics: diagnostics
        .filter((d) => isNotParamError(d) || !declared.has(paramName(d.message)))
        .filter((d) => !isMisattributedProperty(d, item.query, symbols))
        .map((d) => ({
          severity: SEVERITY[d.severity] ?? String(d.severity),
          message: d.message,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          text: item.query.slice(d.offsets.start, d.offsets.end),
        })),
    };
  });
  const pkg = JSON.parse(readFileSync(
    new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url), 'utf-8'));
  process.stdout.write(JSON.stringify({
    package: pkg.version, node: process.version, cypherVersion: version, unknownProcedures, results,
  }));
}

// Upstream false positive (2.0.0-next.38, PropertiesCollector.getPropertyVariable): in
// `MATCH (a:Entity {id: row.start})` the property `start` of the UNWIND variable `row` is checked
// as if it were a property of the node `a`. A property-key warning is kept only when the
// variable before the dot really is a node or relationship, as the linter intends; pattern map
// keys (`{nmae: ...}`) and `node.nmae` accesses are still reported.
const PROPERTY_MISSING = /^(\S+) is not present in the database\./;
const ACCESSED_VARIABLE = /([A-Za-z_][A-Za-z0-9_]*|`[^`]*`)\s*\.\s*$/;

function isMisattributedProperty(diagnostic, query, symbols) {
  if (!PROPERTY_MISSING.test(diagnostic.message)) return false;
  const access = query.slice(0, diagnostic.offsets.start).match(ACCESSED_VARIABLE);
  if (!access) return false;
  const symbol = symbols.find((s) => s.references.includes(access.index));
  const nodeOrRel = Boolean(symbol) && symbol.types.length > 0 &&
    symbol.types.every((t) => t === 'Node' || t === 'Relationship');
  return !nodeOrRel;
}

function paramName(message) {
  // "Parameter $name is not defined." -> "name" (backticks stripped)
  return message.slice('Parameter $'.length, -' is not defined.'.length).replace(/^`|`$/g, '');
}

main();
