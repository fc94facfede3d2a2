// Files: a ContentVersion upload creates (or adds a version to) its ContentDocument, links it
// to the uploader and to FirstPublishLocationId, and keeps the bytes for VersionData.

import { createHash } from 'node:crypto'
import { missingRequired, readInput } from './record-input.ts'
import type { BlobStream, RecordData } from './record-store.ts'
import {
  editableRecord,
  existingRecord,
  insertData,
  liveRecord,
  updateData,
  type WriteContext,
} from './record-writer.ts'
import { errors } from './rest-errors.ts'
import type { ObjectDef } from './sobject-schema.ts'

const FILE_TYPES: Record<string, { fileType: string; mime: string }> = {
  pdf: { fileType: 'PDF', mime: 'application/pdf' },
  png: { fileType: 'PNG', mime: 'image/png' },
  jpg: { fileType: 'JPG', mime: 'image/jpeg' },
  jpeg: { fileType: 'JPG', mime: 'image/jpeg' },
  gif: { fileType: 'GIF', mime: 'image/gif' },
  txt: { fileType: 'TEXT', mime: 'text/plain' },
  csv: { fileType: 'CSV', mime: 'text/csv' },
  json: { fileType: 'JSON', mime: 'application/json' },
  xml: { fileType: 'XML', mime: 'application/xml' },
  html: { fileType: 'HTML', mime: 'text/html' },
  zip: { fileType: 'ZIP', mime: 'application/zip' },
  doc: { fileType: 'WORD', mime: 'application/msword' },
  docx: {
    fileType: 'WORD_X',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xls: { fileType: 'EXCEL', mime: 'application/vnd.ms-excel' },
  xlsx: { fileType: 'EXCEL_X', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
}

export function fileInfo(pathOnClient: string): { extension: string; fileType: string; mime: string } {
  const base = pathOnClient.split(/[\\/]/).pop() ?? pathOnClient
  const dot = base.lastIndexOf('.')
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
  const known = FILE_TYPES[extension]
  return {
    extension,
    fileType: known?.fileType ?? 'UNKNOWN',
    mime: known?.mime ?? 'application/octet-stream',
  }
}

function titleFrom(pathOnClient: string): string {
  const base = pathOnClient.split(/[\\/]/).pop() ?? pathOnClient
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}

/** Splits `VersionData` (base64 in JSON bodies) from the other fields, whatever its casing. */
export function splitVersionData(body: unknown): { fields: Record<string, unknown>; base64: string | null } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.jsonParser('The request body must be a JSON object')
  }
  const fields: Record<string, unknown> = {}
  let base64: string | null = null
  for (const [k, v] of Object.entries(body)) {
    if (k.toLowerCase() !== 'versiondata') fields[k] = v
    else if (typeof v === 'string') base64 = v
    else if (v !== null) throw errors.jsonParser('VersionData must be a base64 string')
  }
  return { fields, base64 }
}

export function decodeBase64(value: string): Buffer {
  const compact = value.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw errors.jsonParser('VersionData is not valid base64')
  return Buffer.from(compact, 'base64')
}

export function createContentVersion(
  ctx: WriteContext,
  obj: ObjectDef,
  fields: Record<string, unknown>,
  bytes: Buffer | null,
): string {
  const docObj = ctx.schema.object('ContentDocument')
  const linkObj = ctx.schema.object('ContentDocumentLink')
  if (!docObj || !linkObj) throw errors.unknown()
  return ctx.store.transaction(() => {
    const input = readInput(ctx.schema, ctx.store, obj, fields, 'insert')
    const missing = missingRequired(obj, { ...input, VersionData: bytes ? 'stored' : null })
    if (missing.length > 0) throw errors.requiredMissing(missing)
    const body = bytes ?? Buffer.alloc(0)
    const path = String(input.PathOnClient)
    const info = fileInfo(path)
    const facts: RecordData = {
      Title: input.Title ?? titleFrom(path),
      ContentSize: body.length,
      FileExtension: info.extension,
      FileType: info.fileType,
    }
    const docId = typeof input.ContentDocumentId === 'string' ? input.ContentDocumentId : null
    const existing = docId ? editableRecord(ctx, docObj, docId) : null
    const versions = existing
      ? ctx.store.list(obj.name, false).filter((v) => v.data.ContentDocumentId === existing.id)
      : []
    for (const v of versions) updateData(ctx, obj, v, { IsLatest: false })
    const documentId =
      existing?.id ??
      insertData(ctx, docObj, {
        Title: facts.Title ?? null,
        FileExtension: info.extension,
        FileType: info.fileType,
        ContentSize: body.length,
        OwnerId: input.OwnerId ?? ctx.userId,
      })
    const versionId = insertData(ctx, obj, {
      ...input,
      ...facts,
      ContentDocumentId: documentId,
      VersionData: 'stored',
      VersionNumber: String(versions.length + 1),
      Checksum: createHash('md5').update(body).digest('hex'),
      IsLatest: true,
      ContentLocation: input.ContentLocation ?? 'S',
      Origin: input.Origin ?? 'C',
    })
    ctx.store.putBlob(versionId, body)
    const doc = existingRecord(ctx, docObj, documentId)
    updateData(ctx, docObj, doc, { ...facts, LatestPublishedVersionId: versionId })
    if (!existing) {
      const uploader = input.OwnerId ?? ctx.userId
      const targets = new Set([uploader, input.FirstPublishLocationId].filter((t) => typeof t === 'string'))
      for (const target of targets) {
        insertData(ctx, linkObj, { ContentDocumentId: documentId, LinkedEntityId: target, ShareType: 'I' })
      }
    }
    return versionId
  })
}

/** The stored bytes of a version, as a stream, and the content type its file extension implies. */
export function versionData(ctx: WriteContext, obj: ObjectDef, id: string): BlobStream & { mime: string } {
  const rec = liveRecord(ctx, obj, id)
  const stream = ctx.store.blobStream(rec.id)
  if (!stream) throw errors.notFound()
  return { ...stream, mime: fileInfo(String(rec.data.PathOnClient ?? '')).mime }
}
