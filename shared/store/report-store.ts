import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditedAction } from '../domain/admin-audit.ts';
import { listingNotFound } from '../domain/listing.ts';
import {
  type Report,
  type ReportResolution,
  type ReportTarget,
  reportExists,
  reportResolved,
} from '../domain/report.ts';
import { type Review, reviewKeyOf, reviewNotFound } from '../domain/review.ts';
import { userSuspended } from '../domain/suspension.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingKey } from './entities/listing.ts';
import {
  openReportEntity,
  openReportKey,
  openReportsPartition,
  reportEntity,
  reportKey,
  reportPageKey,
  reportQueueKeys,
} from './entities/report.ts';
import { reviewKey } from './entities/review.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { type Page, queryPage } from './query-page.ts';
import { withdrawalOf } from './review-publication.ts';
import { TransactionPlan } from './transaction.ts';

export type NewReport = Pick<Report, 'reporterId' | 'target' | 'reason' | 'text'>;

const contentNotFound = (target: ReportTarget) =>
  target.kind === 'review' ? reviewNotFound(target.id) : listingNotFound(target.id);

const removalAction = (target: ReportTarget): AuditedAction =>
  target.kind === 'review' ? 'review.removed' : 'listing.removed';

/** Reports of listings, reviews and users, and the admins' queue of open ones. See README.md beside this file. */
export class ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Files a report: one open report per reporter and target, of a listing that exists or a review
   * that is published, by a reporter who is not suspended, all checked in the transaction that writes it.
   */
  async create(report: NewReport, now = new Date()): Promise<Report> {
    const filed: Report = {
      ...report,
      id: randomUUID(),
      status: 'open',
      createdAt: now.toISOString(),
    };
    const plan = new TransactionPlan<'report' | 'open' | 'standing' | 'content'>()
      .add('report', {
        Put: {
          TableName: this.tableName,
          Item: reportEntity.item({ ...reportKey(filed.id), ...reportQueueKeys(filed) }, filed),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('open', {
        Put: {
          TableName: this.tableName,
          Item: openReportEntity.item(openReportKey(filed), { reportId: filed.id }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('standing', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: userSuspensionKey(report.reporterId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    const reported = this.reportedContent(report.target);
    if (reported) plan.add('content', reported);
    const cancelled = await plan.write(this.client);
    if (!cancelled) return filed;
    if (cancelled.has('standing')) throw userSuspended();
    if (cancelled.has('content')) throw contentNotFound(report.target);
    if (cancelled.has('open')) throw reportExists();
    throw cancelled.unexplained();
  }

  /** The check that the reported listing exists, or the reported review is published. */
  private reportedContent(target: ReportTarget): TransactItem | undefined {
    if (target.kind === 'user') return undefined;
    if (target.kind === 'listing') {
      return {
        ConditionCheck: {
          TableName: this.tableName,
          Key: listingKey(target.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      };
    }
    const review = reviewKeyOf(target.id);
    if (!review) throw reviewNotFound(target.id);
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: reviewKey(review.orderId, review.author, review.subject),
        ConditionExpression: '#status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':published': 'published' },
      },
    };
  }

  async get(reportId: string): Promise<Report | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reportKey(reportId), ConsistentRead: true }),
    );
    return decodeIfPresent(reportEntity, Item);
  }

  /** The open reports, oldest first: the admins' queue. */
  async listOpen(limit: number, cursor?: string): Promise<Page<Report>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': openReportsPartition.GSI1PK },
      },
      { kind: 'report', limit, cursor, sortKeyAttribute: 'GSI1SK', startKey: reportPageKey },
    );
    return { ...page, items: page.items.map((item) => reportEntity.decode(item)) };
  }

  /**
   * Closes the open report as read, out of the queue, and audits it with what it led to; a listing
   * removed goes off the marketplace for good in the same transaction, and so does a review removed
   * (`review`, as read, when the report is of one).
   */
  async resolve(report: Report, resolution: ReportResolution, review?: Review): Promise<Report> {
    const resolved: Report = { ...report, status: 'resolved', resolution };
    const cancelled = await new TransactionPlan<'report' | 'open' | 'effect' | 'audit'>()
      .add('report', {
        Update: {
          TableName: this.tableName,
          Key: reportKey(report.id),
          UpdateExpression: 'SET #status = :resolved, resolution = :resolution REMOVE GSI1PK, GSI1SK',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':resolution': resolution },
        },
      })
      .add('open', { Delete: { TableName: this.tableName, Key: openReportKey(report) } })
      .add('effect', ...this.effectOf(report, resolution, review))
      .add('audit', ...this.auditOf(report, resolution))
      .write(this.client);
    if (!cancelled) return resolved;
    if (cancelled.has('report')) throw reportResolved();
    if (cancelled.has('effect')) throw contentNotFound(report.target);
    throw cancelled.unexplained();
  }

  /**
   * Removing a reported listing unpublishes it and keeps why, which bars publishing it again;
   * removing a review takes it off every list and out of the ratings.
   */
  private effectOf(report: Report, resolution: ReportResolution, review?: Review): TransactItem[] {
    if (resolution.outcome !== 'content-removed') return [];
    const removal = { by: resolution.by, at: resolution.at, reportId: report.id, note: resolution.note };
    if (report.target.kind === 'review') {
      if (!review) throw reviewNotFound(report.target.id);
      return withdrawalOf(this.tableName, review, removal);
    }
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: listingKey(report.target.id),
          UpdateExpression:
            'SET #status = :unpublished, removal = :removal, version = version + :one, updatedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':unpublished': 'unpublished',
            ':removal': removal,
            ':one': 1,
            ':now': resolution.at,
          },
        },
      },
    ];
  }

  private auditOf(report: Report, resolution: ReportResolution): TransactItem[] {
    const entry = { at: resolution.at, actor: resolution.by, reason: resolution.note };
    return [
      auditEntryPut(this.tableName, {
        ...entry,
        action: 'report.resolved',
        target: { kind: 'report', id: report.id },
        reason: `${resolution.outcome}: ${resolution.note}`,
      }),
      ...(resolution.outcome === 'content-removed'
        ? [
            auditEntryPut(this.tableName, {
              ...entry,
              action: removalAction(report.target),
              target: report.target,
            }),
          ]
        : []),
      ...(resolution.outcome === 'user-warned' && resolution.userId
        ? [
            auditEntryPut(this.tableName, {
              ...entry,
              action: 'user.warned',
              target: { kind: 'user', id: resolution.userId },
            }),
          ]
        : []),
    ];
  }
}
