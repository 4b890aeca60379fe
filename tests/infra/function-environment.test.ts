import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionPermissions, functionPermissions } from '../../infra/function-permissions.ts';
import { requiredFields } from '../../shared/config.ts';
import { type FunctionName, functionConfig } from '../../shared/function-config.ts';
import { functionTag } from '../../shared/resources.ts';
import { type Json, testApp } from './easel-app.ts';

const names = Object.keys(functionConfig) as FunctionName[];
/** What every function is given by the house defaults, whatever it reads. */
const houseVariables = ['NODE_OPTIONS', 'STAGE', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];

let resources: Json[];

beforeAll(() => {
  resources = Object.values(Template.fromStack(testApp().stateless).toJSON().Resources);
});

/** The template's environment of the Lambda function tagged with `name`, as the local runtime finds it. */
function environmentOf(name: FunctionName): Record<string, unknown> {
  const tagged = resources.filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Properties.Tags?.some((tag: Json) => tag.Key === functionTag && tag.Value === name),
  );
  expect(tagged).toHaveLength(1);
  return tagged[0]!.Properties.Environment.Variables;
}

describe('shared/function-config.ts', () => {
  it('declares the environment of every entry in functions/, and only those', () => {
    const entries = readdirSync(path.resolve(import.meta.dirname, '../../functions'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.slice(0, -'.ts'.length));
    expect([...names].sort()).toEqual(entries.sort());
    expect([...names].sort()).toEqual(Object.keys(functionPermissions).sort());
  });
});

describe('the synthesized template', () => {
  it.each(names)('gives %s every variable it cannot start without', (name) => {
    const required = requiredFields(functionConfig[name]);
    expect(required.filter((variable) => !(variable in environmentOf(name)))).toEqual([]);
  });

  it.each(names)('gives %s no variable it does not read, beyond the house defaults', (name) => {
    const reads: readonly string[] = functionConfig[name];
    const unread = Object.keys(environmentOf(name)).filter(
      (variable) => !reads.includes(variable) && !houseVariables.includes(variable),
    );
    expect(unread).toEqual([]);
  });
});

describe('synth refuses', () => {
  const withEntry = (name: FunctionName, entry: Partial<FunctionPermissions>) => ({
    ...functionPermissions,
    [name]: { memorySize: 512, timeoutSeconds: 10, ...entry },
  });
  const { table, secrets, cdnBaseUrl, ...galleryWithout } = functionPermissions['api-gallery']!;

  it.each([
    [
      'a table',
      withEntry('api-gallery', { ...galleryWithout, secrets, cdnBaseUrl }),
      'TABLE_NAME',
      'no table',
    ],
    [
      'the cursor secret',
      withEntry('api-gallery', { ...galleryWithout, table, cdnBaseUrl }),
      'CURSOR_SECRET_ID',
      'no cursor secret',
    ],
    [
      'the CDN base URL',
      withEntry('api-gallery', { ...galleryWithout, table, secrets }),
      'CDN_BASE_URL',
      'no CDN base URL',
    ],
  ])(
    'a function that reads %s its entry does not bind, naming both',
    (_what, permissions, variable, missing) => {
      expect(() => testApp({ permissions })).toThrow(
        `Function "api-gallery" reads ${variable} (functions/api-gallery.ts via shared/function-config.ts), but infra/function-permissions.ts binds ${missing}`,
      );
    },
  );

  it('to hand a function a variable it does not read', () => {
    const permissions = withEntry('api-gallery', {
      ...functionPermissions['api-gallery'],
      imageBucket: { read: ['images/'] },
    });
    expect(() => testApp({ permissions })).toThrow(
      'Function "api-gallery" is given IMAGE_BUCKET by infra/function-permissions.ts, but does not read it',
    );
  });

  it('a user pool for a function that reads neither of its ids', () => {
    const permissions = withEntry('api-catalogue', { userPool: [] });
    expect(() => testApp({ permissions })).toThrow(
      /Function "api-catalogue" is given a user pool .* but reads neither USER_POOL_ID nor USER_POOL_CLIENT_ID/,
    );
  });
});
