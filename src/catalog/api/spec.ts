// The catalog API's operations, and the OpenAPI 3.1 document generated from them and from the zod schemas
// that validate requests (zod 4's own JSON Schema output; no second description to keep in step).
import * as z from 'zod';
import {
  apiSchemas,
  categoryListSchema,
  productListQuery,
  productListSchema,
  productParams,
  productSchema,
  problemSchema,
  searchQuery,
  searchResultSchema,
  storeDetailSchema,
  storeListSchema,
  storeParams,
} from './schemas';

/** One operation of the API: its path (Hono syntax), inputs and answer, for the router and the document. */
export interface ApiOperation {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A schema registered in apiSchemas (its id names the response). */
  response: z.ZodType;
  errors: readonly (404 | 422)[];
}

/** Every operation under /api/v1 (all GET). */
export const API_OPERATIONS = [
  {
    path: '/api/v1/products',
    operationId: 'listProducts',
    summary: 'List products',
    description:
      'Active products of listed stores, filtered and sorted, a page at a time (cursor pagination).',
    query: productListQuery,
    response: productListSchema,
    errors: [422],
  },
  {
    path: '/api/v1/products/:id',
    operationId: 'getProduct',
    summary: 'Get a product',
    description: 'One active product by id, with its store and category.',
    params: productParams,
    response: productSchema,
    errors: [404, 422],
  },
  {
    path: '/api/v1/stores',
    operationId: 'listStores',
    summary: 'List stores',
    description: 'Every store on the platform that has not left it, by name.',
    response: storeListSchema,
    errors: [],
  },
  {
    path: '/api/v1/stores/:slug',
    operationId: 'getStore',
    summary: 'Get a store',
    description: 'One store by slug, with the categories of its products.',
    params: storeParams,
    response: storeDetailSchema,
    errors: [404, 422],
  },
  {
    path: '/api/v1/categories',
    operationId: 'listCategories',
    summary: 'List categories',
    description: 'The platform-wide categories that have products, with their counts.',
    response: categoryListSchema,
    errors: [],
  },
  {
    path: '/api/v1/search',
    operationId: 'searchProducts',
    summary: 'Search products',
    description:
      'Full-text search over name, description, vendor and category: ranked, every word a prefix, accents ignored.',
    query: searchQuery,
    response: searchResultSchema,
    errors: [422],
  },
] as const satisfies readonly ApiOperation[];

/** `/api/v1/products/:id` → `/api/v1/products/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}

type JsonSchema = Record<string, unknown>;

/** A JSON Schema without its `$schema` line (OpenAPI 3.1 documents declare the dialect once). */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** The OpenAPI parameters of a params or query object (each field's JSON Schema as the client sends it). */
function parameters(location: 'path' | 'query', shape: z.ZodObject | undefined): JsonSchema[] {
  if (!shape) return [];
  return Object.entries(shape.shape).map(([name, field]) => {
    const schema = bare(z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }));
    const { description, ...rest } = schema;
    return {
      name,
      in: location,
      required: location === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ERROR_TEXT = { 404: 'Not found', 422: 'Invalid parameters (each one named in `errors`)' } as const;

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document of the catalog API (built once per isolate). */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const { schemas } = z.toJSONSchema(apiSchemas, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  const components = Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, bare(s)]));
  const problemId = apiSchemas.get(problemSchema)?.id ?? 'Problem';
  const paths: Record<string, JsonSchema> = {};
  for (const op of API_OPERATIONS as readonly ApiOperation[]) {
    const id = apiSchemas.get(op.response)?.id;
    if (!id) throw new Error(`${op.operationId}: its response schema is not registered`);
    const errorResponses = Object.fromEntries(
      op.errors.map((status) => [
        String(status),
        {
          description: ERROR_TEXT[status],
          content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${problemId}` } } },
        },
      ]),
    );
    paths[openApiPath(op.path)] = {
      get: {
        operationId: op.operationId,
        summary: op.summary,
        description: op.description,
        parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
        responses: {
          '200': {
            description: 'OK',
            headers: {
              ETag: {
                description: 'Strong validator; send it back as If-None-Match.',
                schema: { type: 'string' },
              },
              'Cache-Control': { schema: { type: 'string' } },
            },
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } },
          },
          '304': { description: 'Not modified (If-None-Match matched the current ETag)' },
          ...errorResponses,
        },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Storefront catalog API',
      version: '1.0.0',
      description:
        'The catalog as JSON for apps and other front ends: products, stores, categories and search. ' +
        'Answers carry strong ETags (send If-None-Match for a 304) and may be cached by shared caches ' +
        'for a minute. Prices are integers in minor units. The cart keeps its own paths (/cart, /cart/items).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { schemas: components },
  };
  return cached;
}
