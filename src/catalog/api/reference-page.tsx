// The readable reference of the catalog API, rendered from its OpenAPI document (one source for both).
import { Layout } from '../../pages/layout';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Json;
}

/** A short type for a JSON Schema: `string`, `integer`, `"a" | "b"`, or the referenced component's name. */
function typeOf(schema: Json): string {
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? 'object';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  return 'any';
}

/** The reference page: every operation with its parameters and answer, every schema with its fields. */
export function ApiReferencePage(props: { storeName: string; document: Json }) {
  const paths = props.document.paths as Record<string, { get: Json }>;
  const schemas = (props.document.components as { schemas: Record<string, Json> }).schemas;
  return (
    <Layout title="Catalog API" storeName={props.storeName} description="The catalog API reference.">
      <section class="section api-reference">
        <h1>Catalog API</h1>
        <p>{String((props.document.info as Json).description)}</p>
        <p>
          Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
        {Object.entries(paths).map(([path, { get }]) => {
          const parameters = (get.parameters as Parameter[] | undefined) ?? [];
          const responses = get.responses as Record<
            string,
            { description: string; content?: Record<string, { schema: Json }> }
          >;
          return (
            <article class="card api-operation" id={String(get.operationId)}>
              <h2>
                <code>GET {path}</code>
              </h2>
              <p>
                <strong>{String(get.summary)}.</strong> {String(get.description)}
              </p>
              {parameters.length ? (
                <table>
                  <thead>
                    <tr>
                      <th>parameter</th>
                      <th>in</th>
                      <th>type</th>
                      <th>meaning</th>
                    </tr>
                  </thead>
                  <tbody>
                    {parameters.map((p) => (
                      <tr>
                        <td>
                          <code>{p.name}</code>
                          {p.required ? ' (required)' : ''}
                        </td>
                        <td>{p.in}</td>
                        <td>{typeOf(p.schema)}</td>
                        <td>{p.description ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <ul>
                {Object.entries(responses).map(([status, r]) => {
                  const schema = r.content ? Object.values(r.content)[0]?.schema : undefined;
                  return (
                    <li>
                      <code>{status}</code> {r.description}
                      {schema ? (
                        <>
                          {' '}
                          → <a href={`#schema-${typeOf(schema)}`}>{typeOf(schema)}</a>
                        </>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </article>
          );
        })}
        <h2>Schemas</h2>
        {Object.entries(schemas).map(([name, schema]) => {
          const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
          const required = new Set((schema.required as string[] | undefined) ?? []);
          return (
            <article class="card api-schema" id={`schema-${name}`}>
              <h3>{name}</h3>
              {typeof schema.description === 'string' ? <p>{schema.description}</p> : null}
              <ul>
                {Object.entries(properties).map(([field, s]) => (
                  <li>
                    <code>{field}</code>: {typeOf(s)}
                    {required.has(field) ? '' : ' (optional)'}
                    {typeof s.description === 'string' ? ` · ${s.description}` : ''}
                  </li>
                ))}
              </ul>
            </article>
          );
        })}
      </section>
    </Layout>
  );
}
