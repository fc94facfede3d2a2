// Failures as Salesforce reports them: a gRPC status whose message ends with the call's rpcId,
// and an `error-code` trailer carrying Salesforce's code, which clients branch on.

import { Metadata, status } from '@grpc/grpc-js'

export const ERROR_CODES = {
  auth: 'sfdc.platform.eventbus.grpc.service.auth.error',
  topicNotFound: 'sfdc.platform.eventbus.grpc.topic.notfound',
  subscriptionTopicNotFound: 'sfdc.platform.eventbus.grpc.subscription.topic.notfound',
  schemaNotFound: 'sfdc.platform.eventbus.grpc.schema.notfound',
  replayIdCorrupted: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  invalidRequest: 'sfdc.platform.eventbus.grpc.request.invalid',
  unavailable: 'sfdc.platform.eventbus.grpc.service.unavailable',
} as const

export class PubSubError extends Error {
  readonly code: status
  readonly errorCode: string
  constructor(code: status, errorCode: string, message: string) {
    super(message)
    this.code = code
    this.errorCode = errorCode
  }

  /** The object grpc-js turns into the call's status and trailers. */
  toStatus(rpcId: string): { code: status; details: string; metadata: Metadata } {
    const metadata = new Metadata()
    metadata.set('error-code', this.errorCode)
    return { code: this.code, details: `${this.message} rpcId: ${rpcId}`, metadata }
  }
}

export const pubsubErrors = {
  unauthenticated: (why: string) => new PubSubError(status.UNAUTHENTICATED, ERROR_CODES.auth, why),
  permissionDenied: (why: string) => new PubSubError(status.PERMISSION_DENIED, ERROR_CODES.auth, why),
  topicNotFound: (topic: string, subscribing = false) =>
    new PubSubError(
      status.NOT_FOUND,
      subscribing ? ERROR_CODES.subscriptionTopicNotFound : ERROR_CODES.topicNotFound,
      `Topic not found: ${topic || '(none)'}`,
    ),
  schemaNotFound: (id: string) =>
    new PubSubError(status.NOT_FOUND, ERROR_CODES.schemaNotFound, `Schema not found: ${id || '(none)'}`),
  replayIdCorrupted: (why: 'corrupted' | 'expired') =>
    new PubSubError(
      status.INVALID_ARGUMENT,
      ERROR_CODES.replayIdCorrupted,
      why === 'expired'
        ? 'The Replay ID validation failed: the replay ID is outside the retention window.'
        : 'The Replay ID validation failed: the replay ID is corrupted or not from this stream.',
    ),
  invalid: (why: string) => new PubSubError(status.INVALID_ARGUMENT, ERROR_CODES.invalidRequest, why),
  unavailable: () =>
    new PubSubError(status.UNAVAILABLE, ERROR_CODES.unavailable, 'The service is temporarily unavailable.'),
}

/** Any thrown value as a status; unexpected ones become INTERNAL without their details. */
export function statusOf(
  error: unknown,
  rpcId: string,
): { code: status; details: string; metadata: Metadata } {
  if (error instanceof PubSubError) return error.toStatus(rpcId)
  return { code: status.INTERNAL, details: `Internal error. rpcId: ${rpcId}`, metadata: new Metadata() }
}
