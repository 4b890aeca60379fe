import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  deadLetterKinds,
  type EaselMetric,
  easelMetrics,
  type JobFailureReason,
  jobFailureReasons,
  metricsNamespace,
  serviceDimension,
} from '../../shared/metric-names.ts';
import type { QueueName } from '../../shared/resources.ts';
import type { Api } from './api.ts';
import type { EaselFunction } from './easel-function.ts';
import type { WorkQueue } from './work-queue.ts';

export interface OperationsProps {
  readonly stage: string;
  /** Subscribed to the alarm topic (`-c alarmEmail=…`); AWS asks it to confirm first. */
  readonly alarmEmail?: string;
  readonly api: Api;
  readonly queues: Readonly<Record<QueueName, WorkQueue>>;
  readonly functions: ReadonlyMap<string, EaselFunction>;
}

const fiveMinutes = Duration.minutes(5);

/** A job failure rate (percent of the jobs that finished) past which someone should look. */
const failureRateAlarm: Record<JobFailureReason, { percent: number; means: string }> = {
  UPSTREAM_UNAVAILABLE: { percent: 20, means: 'the image provider keeps failing (an outage, or our key)' },
  INVALID_REQUEST: {
    percent: 10,
    means: 'the provider refuses our requests (a model name, a size, a parameter)',
  },
  INVALID_SOURCE: { percent: 25, means: 'the provider refuses the images we send it' },
  MODERATION_BLOCKED: { percent: 50, means: 'most prompts are blocked (abuse, or a broken prompt template)' },
};

/** Minutes the oldest message of a work queue may wait before someone should look. */
const oldestMessageMinutes: Record<QueueName, number> = { jobs: 15, uploads: 10, accounts: 30 };

/** Jobs finished within the window below which a failure rate says nothing. */
const minimumFinishedJobs = 3;
/** API requests within five minutes below which a 5xx rate says nothing. */
const minimumRequests = 20;

export const apiServerErrorPercent = 5;
export const providerLatencyP95Seconds = 90;

/**
 * What tells an operator that Easel is in trouble: one SNS topic per stage, alarms on the
 * signals that fire (each with the topic as its alarm and OK action), and a dashboard of
 * the same signals beside the business ones. The README's runbook says what each alarm
 * means and what to do.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  private readonly alarmList: Alarm[] = [];
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.stage = props.stage;

    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Easel ${props.stage} alarms`,
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.topic, [
      {
        id: 'AwsSolutions-SNS2',
        reason:
          'Alarm notifications carry alarm names and states only. CloudWatch cannot publish to a topic encrypted with the AWS managed key, and a customer key per stage costs more than what it would protect.',
      },
    ]);
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const stage = props.api.stage;
    const requests = stage.metricCount({ period: fiveMinutes, statistic: Stats.SUM });
    const serverErrors = stage.metricServerError({ period: fiveMinutes, statistic: Stats.SUM });
    this.alarm('ApiServerErrors', {
      description: `More than ${apiServerErrorPercent}% of API requests answered 5xx`,
      metric: new MathExpression({
        expression: `IF(requests >= ${minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { requests, errors: serverErrors },
        label: 'API 5xx (% of requests)',
        period: fiveMinutes,
      }),
      threshold: apiServerErrorPercent,
    });

    const succeeded = easelMetric('jobsSucceeded', Stats.SUM, Duration.minutes(15));
    const failedBy = Object.fromEntries(
      jobFailureReasons.map((reason) => [
        reason,
        easelMetric('jobsFailed', Stats.SUM, Duration.minutes(15), reason),
      ]),
    ) as Record<JobFailureReason, Metric>;
    const ids = Object.fromEntries(jobFailureReasons.map((reason, index) => [reason, `f${index}`]));
    const finished = [
      'FILL(succeeded, 0)',
      ...jobFailureReasons.map((reason) => `FILL(${ids[reason]}, 0)`),
    ].join(' + ');
    for (const reason of jobFailureReasons) {
      const { percent, means } = failureRateAlarm[reason];
      this.alarm(`JobsFailed${pascal(reason)}`, {
        description: `More than ${percent}% of finished jobs failed with ${reason}: ${means}`,
        metric: new MathExpression({
          expression: `IF((${finished}) >= ${minimumFinishedJobs}, 100 * FILL(${ids[reason]}, 0) / (${finished}), 0)`,
          usingMetrics: {
            succeeded,
            ...Object.fromEntries(jobFailureReasons.map((other) => [ids[other], failedBy[other]])),
          },
          label: `Jobs failed with ${reason} (% of finished jobs)`,
          period: Duration.minutes(15),
        }),
        threshold: percent,
      });
    }

    const providerCalls = easelMetric('providerLatency', Stats.SAMPLE_COUNT, fiveMinutes);
    const providerFailures = easelMetric('providerFailureLatency', Stats.SAMPLE_COUNT, fiveMinutes);
    this.alarm('ProviderFailures', {
      description:
        'Half the calls to the image provider failed (they are retried; jobs fail once retries run out)',
      metric: new MathExpression({
        expression: 'IF((FILL(ok, 0) + failed) >= 5, 100 * failed / (FILL(ok, 0) + failed), 0)',
        usingMetrics: { ok: providerCalls, failed: providerFailures },
        label: 'Provider calls failed (%)',
        period: fiveMinutes,
      }),
      threshold: 50,
    });
    this.alarm('ProviderLatency', {
      description: `The image provider's p95 latency stayed above ${providerLatencyP95Seconds} s for 15 minutes`,
      metric: easelMetric('providerLatency', Stats.percentile(95), fiveMinutes),
      threshold: providerLatencyP95Seconds * 1000,
      evaluationPeriods: 3,
    });

    const arrivals = Object.fromEntries(
      deadLetterKinds.map((kind) => [kind, easelMetric('deadLetters', Stats.SUM, fiveMinutes, kind)]),
    );
    this.alarm('DeadLetters', {
      description: 'Messages reached a dead-letter queue: their jobs or uploads failed after every retry',
      metric: new MathExpression({
        expression: deadLetterKinds.map((kind) => `FILL(${kind}, 0)`).join(' + '),
        usingMetrics: arrivals,
        label: 'Dead letters received',
        period: fiveMinutes,
      }),
      threshold: 1,
    });
    this.alarm('DeadLettersUnhandled', {
      description:
        'The dead-letter worker could not handle a dead letter: its job or upload stays unfinished until it can',
      metric: easelMetric('deadLettersUnhandled', Stats.SUM, fiveMinutes),
      threshold: 1,
    });

    for (const [name, { queue }] of Object.entries(props.queues) as [QueueName, WorkQueue][]) {
      const minutes = oldestMessageMinutes[name];
      this.alarm(`${pascal(name)}QueueOldestMessage`, {
        description: `A message of the ${name} queue has waited more than ${minutes} minutes`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: Stats.MAXIMUM }),
        threshold: minutes * 60,
      });
    }

    for (const fn of props.functions.values()) {
      this.notify(fn.errorsAlarm);
      this.notify(fn.throttlesAlarm);
    }

    this.dashboard = this.buildDashboard(props, { requests, serverErrors });
  }

  /** Every alarm that tells the topic. */
  get alarms(): readonly Alarm[] {
    return this.alarmList;
  }

  private alarm(
    id: string,
    options: { description: string; metric: IMetric; threshold: number; evaluationPeriods?: number },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `${options.description} (Easel ${this.stage}; see the runbook in the README)`,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  private notify(alarm: Alarm): void {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarmList.push(alarm);
  }

  private buildDashboard(
    props: OperationsProps,
    api: { requests: IMetric; serverErrors: IMetric },
  ): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `Easel-${props.stage}`,
      defaultInterval: Duration.hours(6),
    });
    const sum = (metric: EaselMetric, dimension?: string) =>
      easelMetric(metric, Stats.SUM, fiveMinutes, dimension);
    const workers = [...props.functions.values()].filter((fn) => fn.name.startsWith('worker-'));
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# Easel ${props.stage}\nAlarms go to the SNS topic \`${this.topic.node.id}\`; the README's runbook says what each means and what to do.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Today (last 24 h)',
        metrics: [
          easelMetric('jobsAccepted', Stats.SUM, Duration.days(1)),
          easelMetric('jobsSucceeded', Stats.SUM, Duration.days(1)),
          easelMetric('imagesMade', Stats.SUM, Duration.days(1)),
          easelMetric('quotaRefusals', Stats.SUM, Duration.days(1)),
        ],
        width: 24,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Jobs',
        left: [sum('jobsAccepted'), sum('jobsSucceeded'), sum('imagesMade')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Jobs failed, by reason',
        left: jobFailureReasons.map((reason) => sum('jobsFailed', reason)),
        width: 12,
      }),
      new GraphWidget({
        title: 'API requests and 5xx',
        left: [api.requests],
        right: [api.serverErrors],
        width: 12,
      }),
      new GraphWidget({
        title: 'Quota refusals, uploads, accounts deleted',
        left: [
          sum('quotaRefusals'),
          sum('uploadsReady'),
          sum('uploadsRefused'),
          sum('uploadsFailed'),
          sum('accountsDeleted'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Provider latency (ms)',
        left: [
          easelMetric('providerLatency', Stats.percentile(50), fiveMinutes).with({ label: 'p50' }),
          easelMetric('providerLatency', Stats.percentile(95), fiveMinutes).with({ label: 'p95' }),
        ],
        right: [
          easelMetric('providerFailureLatency', Stats.SAMPLE_COUNT, fiveMinutes).with({
            label: 'failed calls',
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: [...deadLetterKinds.map((kind) => sum('deadLetters', kind)), sum('deadLettersUnhandled')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Oldest message (s)',
        left: Object.values(props.queues).map(({ queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: Stats.MAXIMUM }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Workers: errors and throttles',
        left: workers.map((fn) =>
          fn.lambda.metricErrors({ period: fiveMinutes, label: `${fn.name} errors` }),
        ),
        right: workers.map((fn) =>
          fn.lambda.metricThrottles({ period: fiveMinutes, label: `${fn.name} throttles` }),
        ),
        width: 12,
      }),
    );
    return dashboard;
  }
}

/** An Easel metric as the functions emit it (shared/metric-names.ts), with its service dimension. */
export function easelMetric(
  name: EaselMetric,
  statistic: string,
  period: Duration,
  dimensionValue?: string,
): Metric {
  const description = easelMetrics[name];
  const dimension = 'dimension' in description ? description.dimension : undefined;
  if (dimension && (dimensionValue === undefined || !dimension.values.includes(dimensionValue as never))) {
    throw new Error(
      `${description.name} is emitted with a ${dimension.name} of ${dimension.values.join(', ')}; "${dimensionValue}" is none of them.`,
    );
  }
  return new Metric({
    namespace: metricsNamespace,
    metricName: description.name,
    dimensionsMap: {
      [serviceDimension]: description.service,
      ...(dimension ? { [dimension.name]: dimensionValue! } : {}),
    },
    statistic,
    period,
    label: dimensionValue ? `${description.name} ${dimensionValue}` : description.name,
  });
}

const pascal = (text: string) =>
  text.toLowerCase().replace(/(^|[_-])([a-z])/g, (_, _separator, letter: string) => letter.toUpperCase());
