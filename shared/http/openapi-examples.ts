type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const byFormat: Record<string, string> = {
  email: 'ada@example.com',
  'date-time': '2026-11-22T09:00:00.000Z',
  uri: 'https://easel.example/api/images/01JD4X8Q2N3V5W7Y9Z0A1B2C3D',
  password: 'correct-Horse-9',
  byte: 'iVBORw0KGgo=',
  binary: '(the file)',
};

/**
 * A value that fits a JSON Schema of the document: its own example or default first, else the
 * first of an enum, else a plain value of its type within its bounds. Used to give every
 * operation an example; the tests check each one against its schema.
 */
export function sampleOf(
  schema: unknown,
  components: JsonObject,
  options: { readonly requiredOnly?: boolean } = {},
  depth = 0,
): unknown {
  if (!isObject(schema) || depth > 12) return null;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return sampleOf(components[name], components, options, depth + 1);
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const choices = schema[key];
    if (Array.isArray(choices) && schema.type === undefined) {
      const chosen = choices.find((choice) => !(isObject(choice) && choice.type === 'null')) ?? choices[0];
      return sampleOf(chosen, components, options, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => sampleOf(part, components, options, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      // An object that must hold one of several sets of fields (oneOf/anyOf of `required`) shows the first.
      const choice = [schema.oneOf, schema.anyOf].find(Array.isArray)?.[0];
      const required = new Set([
        ...(Array.isArray(schema.required) ? schema.required : []),
        ...(isObject(choice) && Array.isArray(choice.required) ? choice.required : []),
      ]);
      const result: JsonObject = {};
      for (const [name, property] of Object.entries(properties)) {
        // A request shows what it needs; an answer its optional fields too, but not deep ones.
        if (required.has(name) || (!options.requiredOnly && depth < 2))
          result[name] = sampleOf(property, components, options, depth + 1);
      }
      return result;
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length: Math.max(1, minItems) }, () =>
        sampleOf(schema.items, components, options, depth + 1),
      );
    }
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min;
      return Math.min(Math.max(min, 1), max);
    }
    case 'boolean':
      return true;
    case 'string': {
      if (typeof schema.format === 'string' && byFormat[schema.format]) return byFormat[schema.format];
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
      const text = 'example text';
      return text.length >= min
        ? text.slice(0, Math.max(min, Math.min(text.length, max)))
        : text.padEnd(min, 'x');
    }
    default:
      return null;
  }
}
