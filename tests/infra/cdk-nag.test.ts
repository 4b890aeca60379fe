import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Json, type TestAppOptions, testApp } from './easel-app.ts';

const variants: [string, TestAppOptions][] = [
  ['dev', {}],
  [
    'prod with a custom domain and a built gallery',
    {
      stage: 'prod',
      gallery: true,
      domain: {
        name: 'easel.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    },
  ],
  [
    'a stage in eu-west-1 behind the WAF rate rule',
    { env: { account: '123456789012', region: 'eu-west-1' }, wafRateLimit: 2000 },
  ],
];

interface Suppression {
  id: string;
  reason: string;
}

function suppressionsOf(stack: Stack): Suppression[] {
  return Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Json>).flatMap(
    (resource) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? [],
  );
}

describe.each(variants)('cdk-nag AwsSolutions on %s', (_name, options) => {
  const { stateful, stateless, edge } = testApp(options);
  const stacks: [string, Stack][] = [
    ['stateful', stateful],
    ['stateless', stateless],
    ...(edge ? [['edge', edge] as [string, Stack]] : []),
  ];

  it.each(stacks)('finds no error and no warning in the %s stack', (_stack, stack) => {
    const annotations = Annotations.fromStack(stack);
    const findings = [
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((finding) => `${finding.id}: ${String(finding.entry.data).split('\n')[0]}`);
    expect(findings).toEqual([]);
  });

  it.each([
    ['stateful', stateful],
    ['stateless', stateless],
  ])('gives a written reason for every suppression in the %s stack', (_stack, stack) => {
    const suppressions = suppressionsOf(stack);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const suppression of suppressions) {
      expect(suppression.id).toMatch(/^AwsSolutions-/);
      expect(suppression.reason.length, `${suppression.id}: "${suppression.reason}"`).toBeGreaterThanOrEqual(
        40,
      );
    }
  });
});

it('finds no warning from CDK itself either', () => {
  const { stateful, stateless } = testApp();
  for (const stack of [stateful, stateless]) {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  }
});
