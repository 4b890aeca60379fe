import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Json, logicalId, testApp } from './easel-app.ts';

const env = { account: '123456789012', region: 'eu-west-1' };

const distributionOf = (template: Template): Json =>
  Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

describe('the WAF flag (-c wafRateLimit=<n>)', () => {
  it('adds no web ACL and no stack without it', () => {
    const stacks = testApp({ env });
    expect(stacks.edge).toBeUndefined();
    expect(distributionOf(Template.fromStack(stacks.stateless)).WebACLId).toBeUndefined();
  });

  it('puts a rate-based rule per IP address into a web ACL for CloudFront in us-east-1', () => {
    const { edge } = testApp({ env, wafRateLimit: 2000 });
    expect(edge!.region).toBe('us-east-1');
    expect(edge!.account).toBe(env.account);
    const template = Template.fromStack(edge!);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(acl.Rules).toHaveLength(1);
    expect(acl.Rules[0].Statement.RateBasedStatement).toEqual({
      Limit: 2000,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    expect(acl.Rules[0].Action.Block.CustomResponse.ResponseCode).toBe(429);
  });

  it('attaches the web ACL to the distribution of a stage in another region', () => {
    const { stateless, edge } = testApp({ env, wafRateLimit: 2000 });
    const webAclId = distributionOf(Template.fromStack(stateless)).WebACLId;
    // Read across regions: a reference CDK resolves from us-east-1 at deploy time, not a literal.
    expect(webAclId).toBeDefined();
    expect(JSON.stringify(webAclId)).toMatch(/ExportsReader|WebAcl/);
    expect(logicalId(stateless.site.distribution)).toBeTruthy();
    expect(stateless.dependencies).toContain(edge);
  });

  it('refuses a limit WAF would refuse, and a stage whose region is not known', () => {
    expect(() => testApp({ env, wafRateLimit: 5 })).toThrow(/at least 10/);
    expect(() => testApp({ env, wafRateLimit: 12.5 })).toThrow(/whole number/);
    expect(() => testApp({ wafRateLimit: 2000 })).toThrow(/CDK_DEFAULT_REGION/);
  });
});
