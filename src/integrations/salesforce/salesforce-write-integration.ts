/**
 * A route that writes records to Salesforce: upsert by external ID (one record, or an array
 * of up to 200 through sObject Collections) or create. The record is the request body as the
 * route's request template shapes it (the JSON body itself without one). Credentials are the
 * caller's own token, so the org's sharing decides, or the org's integration user.
 */

import { GatewayError } from '../../errors/gateway-error.ts'
import { lastHeader } from '../../http/gateway-request.ts'
import type { BufferedResponse } from '../../lib/buffered-response.ts'
import { compileMapping } from '../mapped/compile-mapping.ts'
import { methodRequestOf } from '../mapped/method-request.ts'
import { buildContextVariable } from '../mapping/context-variable.ts'
import { selectRequestTemplate } from '../mapping/request-template-selection.ts'
import { TemplateRenderError } from '../mapping/vtl-engine.ts'
import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import { MAX_COLLECTION, upsertCollection } from './collection-upsert.ts'
import { jsonResponse, orgFailure, readErrors, recordAnswer, statusOfError } from './salesforce-answer.ts'
import type { SalesforceOrgTarget } from './salesforce-connections.ts'
import type { SalesforceCredentials } from './salesforce-rest.ts'
import type { SalesforceRouteSpec } from './salesforce-route-spec.ts'

export function createSalesforceWriteIntegration(
  file: string,
  spec: SalesforceRouteSpec,
  target: SalesforceOrgTarget,
): Integration {
  const mapping = compileMapping(file, {
    pointer: spec.pointer,
    requestTemplates: spec.requestTemplates,
    passthroughBehavior: 'WHEN_NO_MATCH',
    requestParameters: [],
    contentHandling: undefined,
    responses: [],
  })
  const what =
    spec.operation === 'upsert'
      ? `upsert ${spec.sobject} by ${spec.externalIdField}`
      : `create ${spec.sobject}`
  const shape = (call: Pick<IntegrationCall, 'view' | 'authorizer'>): unknown => {
    const req = call.view.request
    const text = (req.body ?? Buffer.alloc(0)).toString('utf8')
    const choice = selectRequestTemplate(
      mapping.requestTemplates,
      lastHeader(req, 'content-type'),
      'WHEN_NO_MATCH',
    )
    let rendered = text
    if (choice.kind === 'template') {
      const method = methodRequestOf(call)
      try {
        rendered = choice.template.render({
          body: text,
          params: method.params,
          context: buildContextVariable(method.facts),
          stageVariables: method.stageVariables,
        })
      } catch (err) {
        if (!(err instanceof TemplateRenderError)) throw err
        throw new GatewayError('GW_MAPPING_FAILED', {
          reason: 'mapping.request_template',
          detail: err.message,
        })
      }
    }
    try {
      return JSON.parse(rendered)
    } catch {
      throw new GatewayError('GW_BAD_REQUEST_BODY', {
        reason: 'salesforce.record_not_json',
        detail:
          choice.kind === 'template' ? 'the request template did not render JSON' : 'the body is not JSON',
      })
    }
  }
  return {
    type: 'salesforce',
    description: `salesforce ${what} in org ${spec.org} as ${spec.credential === 'caller' ? 'the caller' : 'the integration user'}`,
    needsBody: true,
    mapping: [
      `request templates: ${[...mapping.requestTemplates.keys()].join(', ') || 'none'} (JSON body as is otherwise)`,
    ],
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const shaped = shape(call)
      const credentials = target.credentials(spec.credential, call)
      const records = Array.isArray(shaped)
        ? shaped
        : isRecord(shaped) && Array.isArray(shaped.records)
          ? shaped.records
          : undefined
      if (records !== undefined) {
        if (spec.operation !== 'upsert')
          return { kind: 'buffered', response: badRecord('expected one record (a JSON object)') }
        return { kind: 'buffered', response: await collection(records, credentials) }
      }
      if (!isRecord(shaped))
        return { kind: 'buffered', response: badRecord('expected a record (a JSON object)') }
      return { kind: 'buffered', response: await single(shaped, credentials) }
    },
    async explain(call) {
      return { called: false, salesforce: what, record: shape(call) }
    },
  }

  async function single(
    record: Record<string, unknown>,
    credentials: SalesforceCredentials,
  ): Promise<BufferedResponse> {
    const headers: Record<string, string> = spec.allowDuplicateSave
      ? { 'sforce-duplicate-rule-header': 'allowSave=true' }
      : {}
    if (spec.operation === 'create') {
      const answer = await target.rest.call(credentials, {
        method: 'POST',
        path: `/sobjects/${spec.sobject}`,
        body: JSON.stringify(record),
        headers,
      })
      return recordAnswer(answer, credentials.kind === 'caller')
    }
    const field = spec.externalIdField!
    const { [field]: value, ...rest } = record
    if (typeof value !== 'string' && typeof value !== 'number')
      return badRecord(`the record has no ${field} (the external ID it is upserted by)`)
    const answer = await target.rest.call(credentials, {
      method: 'PATCH',
      path: `/sobjects/${spec.sobject}/${field}/${encodeURIComponent(String(value))}`,
      body: JSON.stringify(rest),
      headers,
    })
    return recordAnswer(answer, credentials.kind === 'caller')
  }

  async function collection(
    records: unknown[],
    credentials: SalesforceCredentials,
  ): Promise<BufferedResponse> {
    if (records.length === 0 || records.length > MAX_COLLECTION)
      return badRecord(`expected 1 to ${MAX_COLLECTION} records, found ${records.length}`)
    if (!records.every(isRecord)) return badRecord('expected every record to be a JSON object')
    const outcome = await upsertCollection(
      target.rest,
      credentials,
      {
        sobject: spec.sobject,
        externalIdField: spec.externalIdField!,
        allowDuplicateSave: spec.allowDuplicateSave,
      },
      records,
    )
    if (outcome.kind === 'refused') {
      const failure = orgFailure(outcome.answer, credentials.kind === 'caller')
      if (failure instanceof GatewayError) throw failure
      if (failure !== undefined) return failure
      const errors = readErrors(outcome.answer.json)
      const first = errors[0] ?? {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `status ${outcome.answer.status}`,
      }
      return jsonResponse(statusOfError(first.errorCode), { ...first, errors })
    }
    const results = outcome.results
    const created = results.filter((r) => r.created).length
    const failed = results.filter((r) => !r.success).length
    return jsonResponse(failed === 0 ? 200 : 207, {
      created,
      updated: results.length - created - failed,
      failed,
      results: results.map((r) => ({
        index: r.index,
        externalId: r.externalId,
        success: r.success,
        created: r.created,
        id: r.id,
        ...(r.errors.length === 0 ? {} : { errors: r.errors }),
      })),
    })
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function badRecord(message: string): BufferedResponse {
  return jsonResponse(400, { message, errorCode: 'INVALID_RECORD' })
}
