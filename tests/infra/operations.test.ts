import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import {
  deadLetterKinds,
  easelMetrics,
  jobFailureReasons,
  metricsNamespace,
  serviceDimension,
} from '../../shared/metric-names.ts';
import { type QueueName, queues } from '../../shared/resources.ts';
import { logicalId, testApp } from './easel-app.ts';

interface Dimension {
  Name: string;
  Value: unknown;
}
interface MetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] };
  Stat: string;
}
interface AlarmProperties {
  AlarmDescription: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Threshold: number;
  Metrics?: { Id: string; Expression?: string; MetricStat?: MetricStat }[];
}

let stacks: EaselStacks;
let template: Template;
let alarms: AlarmProperties[];
let topicRef: { Ref: string };

beforeAll(() => {
  stacks = testApp({ alarmEmail: 'ops@example.com' });
  template = Template.fromStack(stacks.stateless);
  alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmProperties,
  );
  topicRef = { Ref: logicalId(stacks.stateless.operations.topic) };
});

/** Every metric an alarm watches, whether alone or in a math expression. */
function metricsOf(alarm: AlarmProperties): MetricStat['Metric'][] {
  if (alarm.MetricName) {
    return [{ Namespace: alarm.Namespace!, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }];
  }
  return (alarm.Metrics ?? []).flatMap((entry) => (entry.MetricStat ? [entry.MetricStat.Metric] : []));
}

const watching = (name: string, dimensions: Record<string, string> = {}) =>
  alarms.filter((alarm) =>
    metricsOf(alarm).some(
      (metric) =>
        metric.MetricName === name &&
        Object.entries(dimensions).every(([key, value]) =>
          metric.Dimensions?.some((dimension) => dimension.Name === key && dimension.Value === value),
        ),
    ),
  );

describe('the alarm topic', () => {
  it('is one SNS topic per stage that refuses requests without TLS', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('mails the address given with -c alarmEmail', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicRef,
    });
  });

  it('has no subscription without one', () => {
    const quiet = Template.fromStack(testApp().stateless);
    quiet.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('refuses an alarmEmail that is not an address, saying how to pass one', () => {
    expect(() => testApp({ alarmEmail: 'ops' })).toThrow(
      'alarmEmail "ops" is not an e-mail address (-c alarmEmail=ops@example.com).',
    );
  });
});

describe('every alarm', () => {
  it('tells the topic when it fires and when it ends', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([topicRef]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([topicRef]);
    }
  });

  it('points to the runbook', () => {
    const operations = alarms.filter((alarm) => alarm.AlarmDescription.includes('runbook'));
    expect(operations.length).toBeGreaterThanOrEqual(jobFailureReasons.length + 5);
  });

  it(`watches, in the ${metricsNamespace} namespace, only metrics the functions emit, with their dimensions`, () => {
    const known = Object.values(easelMetrics);
    const custom = alarms.flatMap(metricsOf).filter((metric) => metric.Namespace === metricsNamespace);
    expect(custom.length).toBeGreaterThan(0);
    for (const metric of custom) {
      const description = known.find((candidate) => candidate.name === metric.MetricName);
      expect(description, metric.MetricName).toBeDefined();
      const dimensions = Object.fromEntries(
        (metric.Dimensions ?? []).map(({ Name, Value }) => [Name, Value]),
      );
      const extra = 'dimension' in description! ? description.dimension : undefined;
      expect(Object.keys(dimensions).sort()).toEqual(
        [serviceDimension, ...(extra ? [extra.name] : [])].sort(),
      );
      expect(dimensions[serviceDimension]).toBe(description!.service);
      if (extra) expect(extra.values).toContain(dimensions[extra.name]);
    }
  });
});

describe('the signals that fire', () => {
  it("the HTTP API's 5xx rate on its stage", () => {
    const stage = stacks.stateless.api.stage.stageName;
    const [alarm] = watching('5xx');
    expect(alarm).toBeDefined();
    const names = metricsOf(alarm!).map((metric) => metric.MetricName);
    expect(names.sort()).toEqual(['5xx', 'Count']);
    for (const metric of metricsOf(alarm!)) {
      expect(metric.Namespace).toBe('AWS/ApiGateway');
      expect(metric.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'Stage', Value: stage },
          { Name: 'ApiId', Value: { Ref: logicalId(stacks.stateless.api.httpApi) } },
        ]),
      );
    }
    expect(alarm!.Metrics!.find((entry) => entry.Expression)?.Expression).toMatch(
      /100 \* FILL\(errors, 0\) \/ requests/,
    );
  });

  it.each(jobFailureReasons)('the rate of jobs failed with %s, out of every finished job', (reason) => {
    const found = watching(easelMetrics.jobsFailed.name, { reason });
    const own = found.find((alarm) => alarm.AlarmDescription.includes(`failed with ${reason}`));
    expect(own).toBeDefined();
    // The denominator holds successes and every reason.
    const names = metricsOf(own!).map((metric) => metric.MetricName);
    expect(names.filter((name) => name === easelMetrics.jobsFailed.name)).toHaveLength(
      jobFailureReasons.length,
    );
    expect(names).toContain(easelMetrics.jobsSucceeded.name);
  });

  it('messages reaching a dead-letter queue, as the dead-letter worker counts them, of every kind', () => {
    const [alarm] = watching(easelMetrics.deadLetters.name);
    expect(alarm).toBeDefined();
    expect(alarm!.Threshold).toBe(1);
    const kinds = metricsOf(alarm!).map(
      (metric) => metric.Dimensions!.find((dimension) => dimension.Name === 'kind')!.Value,
    );
    expect(kinds.sort()).toEqual([...deadLetterKinds].sort());
  });

  it('dead letters the dead-letter worker could not handle', () => {
    expect(watching(easelMetrics.deadLettersUnhandled.name)).toHaveLength(1);
  });

  it.each(Object.keys(queues) as QueueName[])('the age of the oldest message on the %s queue', (name) => {
    const queueName = { 'Fn::GetAtt': [logicalId(stacks.stateless.queues[name].queue), 'QueueName'] };
    const found = alarms.filter(
      (alarm) =>
        alarm.MetricName === 'ApproximateAgeOfOldestMessage' &&
        alarm.Dimensions?.some((dimension) => JSON.stringify(dimension.Value) === JSON.stringify(queueName)),
    );
    expect(found).toHaveLength(1);
  });

  it("the provider's p95 latency", () => {
    const found = alarms.filter((alarm) =>
      (alarm.Metrics ?? []).some(
        (entry) =>
          entry.MetricStat?.Metric.MetricName === easelMetrics.providerLatency.name &&
          entry.MetricStat.Metric.Namespace === metricsNamespace &&
          entry.MetricStat.Stat === 'p95',
      ),
    );
    expect(found).toHaveLength(1);
  });

  it('the share of provider calls that fail', () => {
    expect(watching(easelMetrics.providerFailureLatency.name)).toHaveLength(1);
  });

  it.each(Object.keys(functionPermissions))('errors and throttles of %s', (name) => {
    const functionRef = { Ref: logicalId(stacks.stateless.functions.get(name)!.lambda) };
    for (const metric of ['Errors', 'Throttles']) {
      const found = alarms.filter(
        (alarm) =>
          alarm.Namespace === 'AWS/Lambda' &&
          alarm.MetricName === metric &&
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: functionRef }]),
      );
      expect(found).toHaveLength(1);
    }
  });
});

describe('the dashboard', () => {
  it('shows the alarms’ signals and the business ones', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    // The body is JSON joined with tokens (region, ids); the tokens do not matter here.
    const body = (dashboard!.Properties.DashboardBody['Fn::Join'][1] as unknown[])
      .map((part) => (typeof part === 'string' ? part : '<token>'))
      .join('');
    for (const metric of Object.values(easelMetrics)) expect(body).toContain(`"${metric.name}"`);
    for (const metric of ['5xx', 'Count', 'ApproximateAgeOfOldestMessage', 'Errors', 'Throttles']) {
      expect(body).toContain(`"${metric}"`);
    }
  });
});
